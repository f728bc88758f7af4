package packages

import (
	"context"
	"errors"
	"strings"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/internal/nspawntest"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
)

// TestContainerApt installs and removes a real package with apt on a
// live Debian 12, from the local repository .ci/rootfs.sh built.
func TestContainerApt(t *testing.T) {
	ctx := context.Background()
	c := nspawntest.Boot(t, nspawntest.Options{Name: "gocfg-apt"})
	c.UseLocalDebs(t)
	sys := providertest.NewContainerSys(t, c)
	l := &machine.Machine{Sys: sys, Privileged: true, OS: "linux"}
	has := func(name string) bool {
		out, err := c.Exec(t, "dpkg-query", "-W", "-f", "${Status}", name)
		return err == nil && strings.HasSuffix(strings.TrimSpace(out), "ok installed")
	}
	if has("hello") {
		t.Fatal("hello is installed already")
	}

	// An unknown package fails the plan with apt's message.
	_, err := (&Provider{Machine: l, Config: &Config{SystemPackages: []string{"hello", "gocfg-no-such-package-xyz"}}}).Plan(ctx, nil)
	var ue *UnknownError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "Unable to locate package gocfg-no-such-package-xyz") {
		t.Fatalf("unknown package: %v", err)
	}

	// Install hello (auto detects apt); undo removes it; apply again.
	part, err := (&Provider{Machine: l, Config: &Config{SystemPackages: []string{"hello", "dpkg"}}}).Plan(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(part.Changes) != 1 || part.Changes[0].ID != InstallID || part.Changes[0].After != "apt: install 1 package: hello" {
		t.Fatalf("changes = %+v", part.Changes)
	}
	op := part.Changes[0].Ops[0]
	if err := op.Apply(ctx, sys); err != nil {
		t.Fatal(err)
	}
	if !has("hello") || strings.TrimSpace(c.MustExec(t, "hello")) != "Hello, world!" {
		t.Fatal("hello did not install")
	}
	if err := op.Undo(ctx, sys); err != nil || has("hello") {
		t.Fatalf("undo: %v, installed %v", err, has("hello"))
	}
	if err := op.Apply(ctx, sys); err != nil || !has("hello") {
		t.Fatalf("apply again: %v", err)
	}
	recs, _ := json.Marshal(part.Records)
	if string(recs) != `{"manager":"apt","packages":["dpkg","hello"],"installed":["hello"]}` {
		t.Errorf("records = %s", recs)
	}

	// Planned again: nothing to do.
	again, err := (&Provider{Machine: l, Config: &Config{SystemPackages: []string{"hello", "dpkg"}}}).Plan(ctx, recs)
	if err != nil || len(again.Changes) != 0 {
		t.Fatalf("second plan: %v, %+v", err, again)
	}

	// Dropped from the configuration: gocfg removes hello, never dpkg.
	drop, err := (&Provider{Machine: l, Config: &Config{}}).Plan(ctx, recs)
	if err != nil {
		t.Fatal(err)
	}
	if len(drop.Changes) != 1 || drop.Changes[0].ID != RemoveID || drop.Changes[0].Before != "apt: remove 1 package: hello" {
		t.Fatalf("changes = %+v", drop.Changes)
	}
	rm := drop.Changes[0].Ops[0]
	if err := rm.Apply(ctx, sys); err != nil || has("hello") {
		t.Fatalf("remove: %v", err)
	}
	if err := rm.Undo(ctx, sys); err != nil || !has("hello") {
		t.Fatalf("undo remove: %v", err)
	}
	if err := rm.Apply(ctx, sys); err != nil || has("hello") || !has("dpkg") {
		t.Fatalf("remove again: %v", err)
	}
}
