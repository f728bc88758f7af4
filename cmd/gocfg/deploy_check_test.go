package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/testfs"
)

// TestDeployMissingFiles: a source or a secret's file that the
// repository lacks fails its host before the deploy connects to it, with
// the diagnostic gocfg plan gives (the option, the file, --> where it is
// set); the other hosts deploy.
func TestDeployMissingFiles(t *testing.T) {
	env := fleetEnv(t)
	dir := testfs.Tree(t, t.TempDir(), map[string]string{
		"hosts/h1.hcl": `environment {
  etc "motd" { text = "hi\n" }
}
`,
		"hosts/h3.hcl": `environment {
  etc "motd" { source = "../files/motd" }
  etc "issue" { source = "../files/missing-issue" }
}

age {
  secrets "api-token" {
    file = "../secrets/missing.age"
  }
}
`,
		"files/motd": "hello\n",
	})
	env.WorkDir = dir
	fleet := &fakeFleet{uname: "Linux x86_64\nID=debian\n", bundles: map[string]map[string]string{}}
	opts := fakeDeploy(t, env, dir, fleet, "linux-amd64")
	opts.Parallel = 2
	err := runDeploy(context.Background(), opts)
	out := env.Stdout.(*bytes.Buffer).String()
	if err == nil {
		t.Errorf("the deploy succeeded:\n%s", out)
	}
	for _, want := range []string{
		`h3: gocfg: error: environment.etc."issue": source ` + filepath.Join(dir, "files/missing-issue") + `: no such file or directory` + "\n" +
			"h3:   --> hosts/h3.hcl:3:7\n",
		`h3: gocfg: error: age.secrets."api-token".file: open ` + filepath.Join(dir, "secrets/missing.age") + `: no such file or directory` + "\n" +
			"h3:   --> hosts/h3.hcl:8:12\n",
		"h3: gocfg: hint: source paths are relative to the module that sets them\n",
		`failed: evaluating its configuration: environment.etc."issue": source `,
		"h1: nothing to do\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if slices.Contains(fleet.ran, "h3") {
		t.Errorf("the deploy connected to h3:\n%s", out)
	}
	if !slices.Contains(fleet.ran, "h1") {
		t.Errorf("the deploy did not deploy h1:\n%s", out)
	}
}

// TestDeployFilesOfTheHostsFacts: a source that depends on the host's
// facts is not missing because this machine's facts name another one:
// the check before connecting leaves it to the host's own evaluation,
// which finds it there. One missing for the host's facts fails the host
// with the same diagnostic, once connected, before anything is sent.
func TestDeployFilesOfTheHostsFacts(t *testing.T) {
	env := fleetEnv(t)
	env.OS, env.Arch = "linux", "amd64"
	dir := testfs.Tree(t, t.TempDir(), map[string]string{
		"hosts/mac1.hcl": `environment {
  etc "motd" { source = "../files/motd-${host.os}" }
}
`,
		"files/motd-darwin": "hello Mac\n",
	})
	env.WorkDir = dir
	fleet := &fakeFleet{uname: "Darwin arm64\n", bundles: map[string]map[string]string{}}
	opts := fakeDeploy(t, env, dir, fleet, "darwin-arm64", "linux-amd64")
	if err := runDeploy(context.Background(), opts); err != nil {
		t.Fatalf("%v\n%s%s", err, env.Stdout, env.Stderr)
	}
	if fleet.bundles["mac1"] == nil {
		t.Errorf("mac1 got no bundle:\n%s", env.Stdout)
	}

	// The same host, found to be a Linux machine: its motd-linux is
	// missing.
	env = fleetEnv(t)
	env.OS, env.Arch, env.WorkDir = "linux", "amd64", dir
	opts.Env, fleet.uname, fleet.bundles = env, "Linux x86_64\n", map[string]map[string]string{}
	err := runDeploy(context.Background(), opts)
	out := env.Stdout.(*bytes.Buffer).String()
	want := `mac1: gocfg: error: environment.etc."motd": source ` + filepath.Join(dir, "files/motd-linux") + ": no such file or directory\n" +
		"mac1:   --> hosts/mac1.hcl:2:7\n"
	if err == nil || !strings.Contains(out, want) || fleet.bundles["mac1"] != nil {
		t.Errorf("err = %v, want a failed host with %q:\n%s", err, want, out)
	}
}

// fakeDeploy is a deploy of the configuration dir to fleet, one host at
// a time, with a release binary for each of platforms ("linux-amd64").
func fakeDeploy(t *testing.T, env *Env, dir string, fleet *fakeFleet, platforms ...string) *deployOptions {
	t.Helper()
	opts := &deployOptions{Env: env, Parallel: 1, transport: fleet, Binaries: t.TempDir(), executable: os.Executable}
	opts.Config.Config = dir
	for _, p := range platforms {
		if err := os.WriteFile(filepath.Join(opts.Binaries, "gocfg-"+p), []byte("binary"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return opts
}
