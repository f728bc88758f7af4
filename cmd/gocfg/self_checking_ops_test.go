package main

import (
	"slices"
	"testing"

	"github.com/gocfg/gocfg/platform"
)

// TestSelfCheckingOps lists the op types whose undo is trusted to check
// its own work (platform.SelfChecking): the engine does not make the
// progress log durable before them, and recovery after a restart undoes
// them whether or not they ran. Adding one is a decision to review
// (reviewer R29), not a method to add in passing: this list must change
// with it.
func TestSelfCheckingOps(t *testing.T) {
	want := []string{
		"dir.make", "dir.remove", "file.check", "file.keep-edited", "file.link", "file.remove", "file.write",
		"secrets.mount", "secrets.units", "skel.aside", "store.area.guard", "units.job",
	}
	if got := platform.SelfCheckingOps(); !slices.Equal(got, want) {
		t.Errorf("SelfChecking op types %q, want %q", got, want)
	}
}
