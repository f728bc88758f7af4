package packages

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
)

// TestAptRemovalDependencies: removing a package gocfg installed removes
// the dependencies it brought that nothing else needs (tester J: they
// were left), never one that was unneeded before (the owner's
// autoremove), and never a package someone installed that needs it
// (apt-get remove would have removed it too).
func TestAptRemovalDependencies(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(f *fakeApt)
		changes []string
		notes   string
		left    []string // installed after the switch
		gone    []string // not installed after it
	}{
		{name: "its dependencies go with it",
			setup: func(f *fakeApt) {
				f.deps["zsh"] = []string{"zsh-common"}
				f.deps["git"] = []string{"libcurl"}
				f.installed["zsh-common"], f.auto["zsh-common"] = true, true
				f.installed["libcurl"], f.auto["libcurl"] = true, true
			},
			changes: []string{"- packages:remove apt: remove 1 package: zsh; with 1 dependencies no longer needed: zsh-common →  [packages.remove apt: remove zsh and the dependencies no longer needed zsh-common]"},
			left:    []string{"git", "libcurl"}, gone: []string{"zsh", "zsh-common"}},
		{name: "a dependency unneeded before stays the owner's",
			setup: func(f *fakeApt) {
				f.installed["orphan"], f.auto["orphan"] = true, true
			},
			changes: []string{"- packages:remove apt: remove 1 package: zsh →  [packages.remove apt: remove zsh]"},
			left:    []string{"orphan"}, gone: []string{"zsh"}},
		{name: "a dependency another package needs stays",
			setup: func(f *fakeApt) {
				f.deps["zsh"] = []string{"zsh-common"}
				f.deps["git"] = []string{"zsh-common"}
				f.installed["zsh-common"], f.auto["zsh-common"] = true, true
			},
			changes: []string{"- packages:remove apt: remove 1 package: zsh →  [packages.remove apt: remove zsh]"},
			left:    []string{"git", "zsh-common"}, gone: []string{"zsh"}},
		{name: "a package someone installed that needs it keeps it",
			setup: func(f *fakeApt) {
				f.deps["git"] = []string{"zsh"}
			},
			notes: "environment.system_packages: zsh is needed by git, which removing it would remove too: left installed, and no longer managed by gocfg",
			left:  []string{"git", "zsh"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			f := newFakeApt(t, []string{"zsh", "git"}, nil)
			tt.setup(f)
			p := &Provider{Machine: &machine.Machine{Sys: f, Privileged: true, OS: "linux"}, Config: &Config{SystemPackages: nil}}
			applied := &Records{Manager: "apt", Packages: []string{"zsh"}, Installed: []string{"zsh"}}
			part, err := p.Plan(ctx, providertest.Encode(t, applied))
			if err != nil {
				t.Fatal(err)
			}
			providertest.EqualLines(t, "changes", changeLines.Of(part.Changes), tt.changes)
			if got := strings.Join(part.Notes, "\n"); got != tt.notes {
				t.Errorf("notes %q, want %q", got, tt.notes)
			}
			if got := f.changes(); len(got) > 0 {
				t.Errorf("planning ran %q", got)
			}
			for _, ch := range part.Changes {
				for _, op := range ch.Ops {
					if err := op.Apply(ctx, f); err != nil {
						t.Fatal(err)
					}
				}
			}
			for _, n := range tt.left {
				if !f.has(n) {
					t.Errorf("%s was removed", n)
				}
			}
			for _, n := range tt.gone {
				if f.has(n) {
					t.Errorf("%s is still installed", n)
				}
			}
		})
	}
}

// TestAptRemoveOpNeededSincePlan: a package installed since the plan
// that needs one the op removes stops the op, nothing removed; a
// dependency the plan did not show is not removed.
func TestAptRemoveOpNeededSincePlan(t *testing.T) {
	ctx := context.Background()
	f := newFakeApt(t, []string{"zsh"}, nil)
	f.deps["zsh"] = []string{"zsh-common", "zsh-doc"}
	f.installed["zsh-common"], f.auto["zsh-common"] = true, true
	f.installed["zsh-doc"], f.auto["zsh-doc"] = true, true
	op := &RemoveOp{Manager: "apt", Packages: []string{"zsh"}, Freed: []string{"zsh-common"}}

	f.installed["git"], f.deps["git"] = true, []string{"zsh"}
	if err := op.Apply(ctx, f); !errors.Is(err, platform.ErrUnchanged) || !strings.Contains(err.Error(), "zsh (needed by git)") {
		t.Errorf("apply with git needing zsh: %v", err)
	}
	if got := f.changes(); len(got) > 0 {
		t.Errorf("ran %q", got)
	}

	delete(f.installed, "git")
	if err := op.Apply(ctx, f); err != nil {
		t.Fatal(err)
	}
	if got := f.changes(); !slices.Equal(got, []string{"apt-get remove -y -- zsh zsh-common"}) {
		t.Errorf("ran %q", got)
	}
	if !f.has("zsh-doc") {
		t.Error("zsh-doc, which the plan did not show, was removed")
	}
}

// TestAptUndoErrorSaysHowToRepair (tester T): an undo that apt refuses
// names what repairs a broken package database.
func TestAptUndoErrorSaysHowToRepair(t *testing.T) {
	f := newFakeApt(t, nil, nil) // hello is unknown: its install fails
	err := (&RemoveOp{Manager: "apt", Packages: []string{"hello"}}).Undo(context.Background(), f)
	if err == nil || !strings.Contains(err.Error(), "`dpkg --configure -a` and `apt-get -f install` repair them") {
		t.Errorf("undo: %v", err)
	}
}
