package generations

import (
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// An executable file is listed as 0555, as the package documentation
// (and the e2e attacker, and adoptArea) say; it was listed as 0455.
func TestExecutableListing(t *testing.T) {
	dir := tempState(t)
	s := New(system.NewReal(), dir)
	e := entry("home/alice", "run", "#!/bin/sh\n", true)
	if err := s.Write(gen(1, []Entry{e})); err != nil {
		t.Fatal(err)
	}
	h, err := s.TreeHash(1, "home/alice")
	if err != nil {
		t.Fatal(err)
	}
	if want := sum("f 0555 " + e.Hash + " run\n"); h != want {
		t.Errorf("tree hash %s, want %s (the listing of an executable file says 0555)", h, want)
	}
}
