package secrets_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
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

	// A stored ciphertext that cannot be read is not hers: it refuses.
	stored := filepath.Join(r.root, r.sw.Store.FilePath(one, secrets.HomeStoreRoot("app"), "netrc"))
	if err := os.Rename(stored, stored+".aside"); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(netrc); err != nil {
		t.Fatal(err)
	}
	recs, err := secrets.DecodeRecords(r.sw.Records(one, "secrets"))
	if err != nil {
		t.Fatal(err)
	}
	m := r.machine()
	m.To = one
	if p, err := r.sw.MakePlan(&secrets.Provider{Machine: m, Records: recs}); err == nil {
		t.Fatalf("rollback with generation %d's ciphertext unreadable: plan %q, conflicts %+v, held roots %q; want an error that refuses", one, shown(p), p.Conflicts, p.HeldRoots)
	} else if !strings.Contains(err.Error(), "read the stored ciphertext") {
		t.Errorf("rollback with generation %d's ciphertext unreadable: %v", one, err)
	}
	if err := os.Rename(stored+".aside", stored); err != nil {
		t.Fatal(err)
	}

	// Generation 1 again as an older gocfg stored it: a rollback to it
	// decrypts from there.
	old := legacy(t, r, one)
	r.rollback(old)
	if got := r.read("/home/app/.netrc"); got != "NETRC-1" {
		t.Fatalf("after a rollback to a generation of the old layout: .netrc = %q", got)
	}
	// From it, her file in the way refuses the rollback: her
	// ciphertexts cannot be taken alone.
	p = plan(two)
	if len(p.Conflicts) != 1 || p.Conflicts[0].Held || len(p.HeldRoots) != 0 {
		t.Fatalf("rollback from a generation of the old layout: conflicts %+v, held roots %q; want a conflict that refuses", p.Conflicts, p.HeldRoots)
	}

	// What a rollback to that generation records when it holds her: its
	// files, StoreRoot and her old ciphertexts with it, and her
	// HomeStoreRoot from the current generation (two). Her root decides:
	// a rollback from it holds her again (tester AU: refused).
	res, err := r.sw.Store.ReadFile(two, "resources.json")
	if err != nil {
		t.Fatal(err)
	}
	held := r.sw.Next()
	g := generations.NewGeneration{Meta: generations.Meta{Number: held, Time: time.Unix(0, 0), Version: "test", Command: "rollback", RollbackOf: old},
		Config: []byte("{}"), Resources: res, FilesOf: old, RootsFrom: map[string]int{secrets.HomeStoreRoot("app"): two}}
	if err := r.sw.Store.Write(g); err != nil {
		t.Fatal(err)
	}
	if err := r.sw.Store.Flip(held); err != nil {
		t.Fatal(err)
	}
	if !r.exists(r.sw.Store.FilePath(held, secrets.StoreRoot, "home/app/netrc")) {
		t.Fatalf("generation %d lacks the old layout's ciphertext: the case is not made", held)
	}
	p = plan(one)
	if len(p.Conflicts) != 1 || !p.Conflicts[0].Held || !slices.Equal(p.HeldRoots, []string{secrets.HomeStoreRoot("app")}) {
		t.Fatalf("rollback from a held rollback's generation: conflicts %+v, held roots %q; want her secrets held", p.Conflicts, p.HeldRoots)
	}
}

// legacy writes generation n again, as the next generation, the way
// generations made before secrets.HomeStoreRoot stored app's secrets:
// under secrets.StoreRoot, at home/app/<name>; it returns its number.
func legacy(t *testing.T, r *rig, n int) int {
	t.Helper()
	res, err := r.sw.Store.ReadFile(n, "resources.json")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := secrets.DecodeRecords(r.sw.Records(n, "secrets"))
	if err != nil {
		t.Fatal(err)
	}
	var files []generations.Entry
	for name, rec := range recs.Homes["app"].Secrets {
		data, err := os.ReadFile(filepath.Join(r.root, r.sw.Store.FilePath(n, secrets.HomeStoreRoot("app"), name)))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, generations.Entry{Root: secrets.StoreRoot, Rel: "home/app/" + name, Hash: strings.TrimPrefix(rec.Hash, "sha256:"),
			Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }})
	}
	next := r.sw.Next()
	g := generations.NewGeneration{Meta: generations.Meta{Number: next, Time: time.Unix(0, 0), Version: "old", Command: "switch"}, Config: []byte("{}"), Resources: res,
		Files: files, Areas: map[string]generations.Area{secrets.StoreRoot: {Name: secrets.StoreRoot, UID: 0, GID: 0, Private: true}}}
	if err := r.sw.Store.Write(g); err != nil {
		t.Fatal(err)
	}
	if !r.exists(r.sw.Store.FilePath(next, secrets.StoreRoot, "home/app/netrc")) || r.exists(r.sw.Store.FilePath(next, secrets.HomeStoreRoot("app"), "netrc")) {
		t.Fatalf("generation %d is not of the old layout", next)
	}
	return next
}

// TestHomeIdentitiesHers (tester AU): each user's secrets are checked
// with her identities alone. They were the planner's: after bob's failed
// to load, his next secret was checked with app's, and passed.
func TestHomeIdentitiesHers(t *testing.T) {
	r := homeRig(t)
	accts := []accounts.Account{{Name: "root", UID: 0, GID: 0, Home: "/root"}, {Name: "app", UID: appUID, GID: appGID, Home: "/home/app"},
		{Name: "bob", UID: appUID + 10, GID: appGID + 10, Home: "/home/bob"}}
	r.accts = accounts.New(accts, []accounts.Group{{Name: "root", GID: 0}, {Name: "app", GID: appGID}, {Name: "bob", GID: appGID + 10}})
	if err := os.MkdirAll(filepath.Join(r.root, "home/bob"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(filepath.Join(r.root, "home/bob"), appUID+10, appGID+10); err != nil {
		t.Fatal(err)
	}
	// Every file is encrypted to app's key; bob has none.
	file := r.encrypt("netrc", "NETRC")
	ids := []string{"~/.config/gocfg/age.key"}
	cfg := &secrets.Config{Home: map[string]secrets.HomeAge{
		"app": {Secrets: map[string]secrets.HomeSecret{"a": {File: file, Path: str(".a"), Mode: "0600"}}, IdentityPaths: ids},
		"bob": {Secrets: map[string]secrets.HomeSecret{"b1": {File: file, Path: str(".b1"), Mode: "0600"}, "b2": {File: file, Path: str(".b2"), Mode: "0600"}}, IdentityPaths: ids},
	}}
	m := r.machine()
	m.Switch.FailFast = true
	_, err := r.sw.MakePlan(&secrets.Provider{Machine: m, Config: cfg})
	if err == nil {
		t.Fatal("bob's secrets planned without a key of his")
	}
	for _, n := range []string{`"b1"`, `"b2"`} {
		if !strings.Contains(err.Error(), `home.bob.age.secrets.`+n) {
			t.Errorf("no error for bob's %s: %v", n, err)
		}
	}
}

// TestHomeSecretsRollbackAccountGone (tester AV): a rollback to a
// generation that records the secrets of a user whose account was
// deleted since holds them; before, it was refused whole.
func TestHomeSecretsRollbackAccountGone(t *testing.T) {
	r := homeRig(t)
	cfg := homeConfig(map[string]secrets.HomeSecret{"netrc": {File: r.encrypt("netrc", "NETRC-1"), Path: str("~/.netrc"), Mode: "0600"}})
	r.switchTo(cfg)
	one := r.sw.Current()
	r.encrypt("netrc", "NETRC-2")
	r.switchTo(cfg)
	r.accts = accounts.New([]accounts.Account{{Name: "root", UID: 0, GID: 0, Home: "/root"}}, []accounts.Group{{Name: "root", GID: 0}})
	recs, err := secrets.DecodeRecords(r.sw.Records(one, "secrets"))
	if err != nil {
		t.Fatal(err)
	}
	m := r.machine()
	m.To = one
	p, err := r.sw.MakePlan(&secrets.Provider{Machine: m, Records: recs})
	if err != nil {
		t.Fatalf("rollback with app's account gone: %v", err)
	}
	if len(p.Conflicts) != 1 || !p.Conflicts[0].Held || !strings.Contains(p.Conflicts[0].Problem, "does not exist") || !slices.Equal(p.HeldRoots, []string{secrets.HomeStoreRoot("app")}) {
		t.Errorf("conflicts %+v, held roots %q; want app's secrets held", p.Conflicts, p.HeldRoots)
	}
}
