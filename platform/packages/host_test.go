package packages

import (
	"context"
	"errors"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
)

// needApt returns the host's own System, read-only (system.ReadOnly):
// it runs only the commands marked as questions (dpkg-query, apt-cache
// policy, apt-get install --simulate), so these tests never install or
// remove a package on the host, and a provider that runs anything else
// while it plans fails.
func needApt(t *testing.T) system.System {
	t.Helper()
	for _, p := range []string{"dpkg-query", "apt-cache", "apt-get"} {
		if _, err := exec.LookPath(p); err != nil {
			t.Skipf("%s is not installed", p)
		}
	}
	return system.NewReadOnly(system.NewReal())
}

// The real dpkg-query output parses: dpkg itself is installed, a made-up
// name is not.
func TestHostDpkgQuery(t *testing.T) {
	sys := needApt(t)
	got, err := apt{}.installed(context.Background(), sys, []string{"dpkg", "gocfg-no-such-package-xyz"})
	if err != nil {
		t.Fatal(err)
	}
	if !got["dpkg"] || got["gocfg-no-such-package-xyz"] {
		t.Errorf("installed = %v", got)
	}
	out, err := sys.Run(context.Background(), query("dpkg-query", "-W", "-f", `${Package}\t${Status}\n`))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(parseDpkgQuery(out)); n < 10 {
		t.Errorf("only %d installed packages parsed from:\n%.500s", n, out)
	}
}

// A package apt does not know fails the plan with apt's message, before
// anything is run that changes the machine.
func TestHostUnknownPackageFailsThePlan(t *testing.T) {
	sys := needApt(t)
	p := &Provider{Machine: &machine.Machine{Sys: sys, Privileged: true, OS: "linux"}, Config: &Config{SystemPackages: []string{"dpkg", "gocfg-no-such-package-xyz"}, PackageManager: "apt"}}
	part, err := p.Plan(context.Background(), nil)
	var ue *UnknownError
	if !errors.As(err, &ue) {
		t.Fatalf("plan = %+v, %v; want an *UnknownError", part, err)
	}
	if !slices.Equal(ue.Packages, []string{"gocfg-no-such-package-xyz"}) || !strings.Contains(err.Error(), "E: Unable to locate package gocfg-no-such-package-xyz") {
		t.Errorf("error = %v", err)
	}
	// apt-cache policy itself prints nothing for it.
	out, err := sys.Run(context.Background(), query("apt-cache", "policy", "--", "gocfg-no-such-package-xyz"))
	if err != nil || len(parseAptPolicy(out)) != 0 {
		t.Errorf("apt-cache policy: %q, %v", out, err)
	}
}

// A name with no installation candidate (a virtual package such as awk)
// fails with apt-get's explanation.
func TestHostVirtualPackageFailsThePlan(t *testing.T) {
	sys := needApt(t)
	out, err := sys.Run(context.Background(), query("apt-cache", "policy", "--", "awk"))
	if err != nil || parseAptPolicy(out)["awk"] != "(none)" {
		t.Skip("awk is not a virtual package without a candidate here")
	}
	err = apt{}.check(context.Background(), sys, []string{"awk"})
	if err == nil || !strings.Contains(err.Error(), "virtual package") {
		t.Errorf("check(awk) = %v", err)
	}
}

// A package apt knows and that is not installed plans one install op
// (never applied here).
func TestHostInstallPlanned(t *testing.T) {
	sys := needApt(t)
	ctx := context.Background()
	live, err := apt{}.installed(ctx, sys, []string{"hello"})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := sys.Run(ctx, query("apt-cache", "policy", "--", "hello"))
	if c := parseAptPolicy(out)["hello"]; live["hello"] || c == "" || c == "(none)" {
		t.Skip("hello is installed, or apt has no candidate for it")
	}
	p := &Provider{Machine: &machine.Machine{Sys: sys, Privileged: true, OS: "linux"}, Config: &Config{SystemPackages: []string{"hello", "dpkg"}}}
	part, err := p.Plan(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(part.Changes) != 1 || part.Changes[0].After != "apt: install 1 package: hello" || len(part.Changes[0].Ops) != 1 {
		t.Fatalf("changes = %+v", part.Changes)
	}
	if r := part.Records.(*Records); !slices.Equal(r.Installed, []string{"hello"}) || !slices.Equal(r.Packages, []string{"dpkg", "hello"}) {
		t.Errorf("records = %+v", r)
	}
}
