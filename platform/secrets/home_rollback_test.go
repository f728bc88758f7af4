package secrets_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/secrets"
)

// TestHomeSecretsRollbackHeld: a rollback whose plan meets her file in
// the way of her secret holds her secrets (a held conflict, her records
// the current generation's, and her ciphertexts taken from its store:
// Part.HeldRoots names her secrets.HomeStoreRoot), as it holds her
// files; before, it refused the whole machine's rollback. A current
// generation that stored her ciphertexts with everyone's, under
// secrets.StoreRoot (made before HomeStoreRoot), cannot give hers alone:
// the conflict refuses the rollback, as before. Such a generation is
// still read: a rollback to it writes her secret from there.
func TestHomeSecretsRollbackHeld(t *testing.T) {
	r := homeRig(t)
	netrc := filepath.Join(r.root, "home/app/.netrc")
	cfg := homeConfig(map[string]secrets.HomeSecret{"netrc": {File: r.encrypt("netrc", "NETRC-1"), Path: str("~/.netrc"), Mode: "0600"}})
	r.switchTo(cfg)
	one := r.sw.Current()
	if !r.exists(r.sw.Store.FilePath(one, secrets.HomeStoreRoot("app"), "netrc")) {
		t.Fatalf("generation %d has no ciphertext under %s", one, secrets.HomeStoreRoot("app"))
	}
	r.encrypt("netrc", "NETRC-2")
	r.switchTo(cfg)
	two := r.sw.Current()

	// plan plans a rollback to generation n with her file in the way.
	plan := func(n int) *platform.Plan {
		t.Helper()
		r.write(netrc, "MY-OWN-NETRC")
		recs, err := secrets.DecodeRecords(r.sw.Records(n, "secrets"))
		if err != nil {
			t.Fatal(err)
		}
		m := r.machine()
		m.To = n
		p, err := r.sw.MakePlan(&secrets.Provider{Machine: m, Records: recs})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := plan(one)
	if len(p.Changes) != 0 || len(p.Conflicts) != 1 || !p.Conflicts[0].Held || !slices.Equal(p.HeldRoots, []string{secrets.HomeStoreRoot("app")}) {
		t.Fatalf("rollback with her file in the way: changes %q, conflicts %+v, held roots %q; want her secrets held", shown(p), p.Conflicts, p.HeldRoots)
	}
	if got := r.read("/home/app/.netrc"); got != "MY-OWN-NETRC" {
		t.Errorf("her file: %q", got)
	}

	// Generation 1 as an older gocfg stored it: a rollback to it
	// decrypts from there.
	legacy(t, r, one)
	if err := os.Remove(netrc); err != nil {
		t.Fatal(err)
	}
	r.rollback(one)
	if got := r.read("/home/app/.netrc"); got != "NETRC-1" {
		t.Fatalf("after a rollback to a generation of the old layout: .netrc = %q", got)
	}
	// From it, her file in the way refuses the rollback: her
	// ciphertexts cannot be taken alone.
	p = plan(two)
	if len(p.Conflicts) != 1 || p.Conflicts[0].Held || len(p.HeldRoots) != 0 {
		t.Fatalf("rollback from a generation of the old layout: conflicts %+v, held roots %q; want a conflict that refuses", p.Conflicts, p.HeldRoots)
	}
}

// legacy moves generation n's ciphertexts of app's secrets to where
// generations made before secrets.HomeStoreRoot had them: under
// secrets.StoreRoot, at home/app/<name>.
func legacy(t *testing.T, r *rig, n int) {
	t.Helper()
	files := filepath.Join(r.root, r.sw.Store.Path(n), "files")
	from := filepath.Join(files, secrets.HomeStoreRoot("app"))
	to := filepath.Join(files, secrets.StoreRoot, "home", "app")
	if _, err := os.Lstat(filepath.Join(files, secrets.StoreRoot)); err == nil {
		t.Fatalf("%s: the test makes %s a folder of its own", files, secrets.StoreRoot)
	}
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	des, err := os.ReadDir(from)
	if err != nil || len(des) == 0 {
		t.Fatalf("%s: %v, %d entries", from, err, len(des))
	}
	for _, de := range des {
		data, err := os.ReadFile(filepath.Join(from, de.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, de.Name()), data, 0o444); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Remove(from); err != nil && !strings.Contains(err.Error(), "directory not empty") {
		t.Fatal(err)
	}
}
