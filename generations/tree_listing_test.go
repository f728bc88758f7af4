package generations

import "testing"

// An executable file is listed as 0555, as the package documentation
// (and the e2e attacker, and adoptArea) say; it was listed as 0455.
func TestExecutableListing(t *testing.T) {
	_, s, e := writeExecutable(t)
	h, err := s.TreeHash(1, "home/alice")
	if err != nil {
		t.Fatal(err)
	}
	key, err := s.loadKey(false)
	if err != nil || key == nil {
		t.Fatalf("the store's key: %v, %v", key, err)
	}
	if want := keyedName(key, "home-alice", sum("f 0555 "+e.Hash+" run\n")); h != want {
		t.Errorf("tree hash %s, want %s (the listing of an executable file says 0555)", h, want)
	}
}
