package secrets_test

import (
	"testing"

	"github.com/gocfg/gocfg/platform/secrets"
)

// TestStored (tester AX): the ciphertexts a generation keeps, as gocfg
// store verify expects them: a user's under her own root, or, in a
// generation made before those, under the shared one; each with its
// hash, and its source for --repair.
func TestStored(t *testing.T) {
	r := homeRig(t)
	src := r.encrypt("netrc", "NETRC-1")
	r.switchTo(homeConfig(map[string]secrets.HomeSecret{"netrc": {File: src, Path: str("~/.netrc"), Mode: "0600"}}))
	one := r.sw.Current()
	old := legacy(t, r, one)
	for _, tc := range []struct {
		n         int
		root, rel string
	}{{one, secrets.HomeStoreRoot("app"), "netrc"}, {old, secrets.StoreRoot, "home/app/netrc"}} {
		recs, err := secrets.DecodeRecords(r.sw.Records(tc.n, "secrets"))
		if err != nil {
			t.Fatal(err)
		}
		got := secrets.Stored(r.sys, r.sw.Store, tc.n, recs)
		hash := recs.Homes["app"].Secrets["netrc"].Hash
		if len(got) != 1 || got[0].Gen != tc.n || got[0].Root != tc.root || got[0].Rel != tc.rel || "sha256:"+got[0].Hash != hash {
			t.Errorf("generation %d: %+v; want %s %s with %s", tc.n, got, tc.root, tc.rel, hash)
		}
		if !r.exists(r.sw.Store.FilePath(tc.n, tc.root, tc.rel)) {
			t.Errorf("generation %d does not store %s/%s", tc.n, tc.root, tc.rel)
		}
		if s := secrets.Sources(recs)[got[0].Hash]; len(s) != 1 || s[0] != src {
			t.Errorf("generation %d: sources %q, want %s", tc.n, s, src)
		}
	}
}
