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
	"github.com/gocfg/gocfg/platform/internal/providertest"
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

	plan := func(n int) *platform.Plan { return rollbackInTheWay(t, r, n, "app") }
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
	if p, err := planRollback(t, r, one); err == nil {
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

// rollbackInTheWay plans a rollback to generation n with a file of
// user's own where her .netrc secret goes.
func rollbackInTheWay(t *testing.T, r *rig, n int, user string) *platform.Plan {
	t.Helper()
	r.write(filepath.Join(r.root, "home", user, ".netrc"), "MY-OWN-NETRC")
	p, err := planRollback(t, r, n)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// planRollback plans the secrets of a rollback to generation n.
func planRollback(t *testing.T, r *rig, n int) (*platform.Plan, error) {
	t.Helper()
	recs, err := secrets.DecodeRecords(r.sw.Records(n, "secrets"))
	if err != nil {
		t.Fatal(err)
	}
	m := r.machine()
	m.To = n
	return r.sw.MakePlan(&secrets.Provider{Machine: m, Records: recs})
}

// legacy writes generation n again, as the next generation, the way
// generations made before secrets.HomeStoreRoot stored users' secrets:
// under secrets.StoreRoot, at home/<user>/<name>; it returns its number.
func legacy(t *testing.T, r *rig, n int) int {
	t.Helper()
	res, err := r.sw.Store.ReadFile(n, "resources.json")
	if err != nil {
		t.Fatal(err)
	}
	// Records as gocfg wrote them then: without home_roots.
	if !bytes.Contains(res, []byte(`,"home_roots":true`)) {
		t.Fatalf("generation %d's secrets records say nothing of home_roots: %s", n, res)
	}
	res = bytes.ReplaceAll(res, []byte(`,"home_roots":true`), nil)
	recs, err := secrets.DecodeRecords(r.sw.Records(n, "secrets"))
	if err != nil {
		t.Fatal(err)
	}
	var files []generations.Entry
	for user, h := range recs.Homes {
		for name, rec := range h.Secrets {
			data, err := os.ReadFile(filepath.Join(r.root, r.sw.Store.FilePath(n, secrets.HomeStoreRoot(user), name)))
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, generations.Entry{Root: secrets.StoreRoot, Rel: "home/" + user + "/" + name, Hash: strings.TrimPrefix(rec.Hash, "sha256:"),
				Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }})
		}
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
	p, err := planRollback(t, r, one)
	if err != nil {
		t.Fatalf("rollback with app's account gone: %v", err)
	}
	if len(p.Conflicts) != 1 || !p.Conflicts[0].Held || !strings.Contains(p.Conflicts[0].Problem, "does not exist") || !slices.Equal(p.HeldRoots, []string{secrets.HomeStoreRoot("app")}) {
		t.Errorf("conflicts %+v, held roots %q; want app's secrets held", p.Conflicts, p.HeldRoots)
	}
}

// TestHomeSecretsRollbackSplitsRoots (tester AV): a rollback that records
// a generation of a target that keeps every user's secrets in one root
// gives each user not held a root of her own there, so that a rollback
// from it can hold her; before, her conflict refused everyone's.
func TestHomeSecretsRollbackSplitsRoots(t *testing.T) {
	r := homeRig(t)
	r.accts = accounts.New([]accounts.Account{{Name: "root", UID: 0, GID: 0, Home: "/root"}, {Name: "app", UID: appUID, GID: appGID, Home: "/home/app"},
		{Name: "bob", UID: appUID + 10, GID: appGID + 10, Home: "/home/bob"}}, []accounts.Group{{Name: "root", GID: 0}, {Name: "app", GID: appGID}, {Name: "bob", GID: appGID + 10}})
	key, err := os.ReadFile(filepath.Join(r.root, "home/app/.config/gocfg/age.key"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"home/bob", "home/bob/.config", "home/bob/.config/gocfg"} {
		if err := os.MkdirAll(filepath.Join(r.root, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	r.write(filepath.Join(r.root, "home/bob/.config/gocfg/age.key"), string(key))
	for _, d := range []string{"home/bob", "home/bob/.config", "home/bob/.config/gocfg", "home/bob/.config/gocfg/age.key"} {
		if err := os.Chown(filepath.Join(r.root, d), appUID+10, appGID+10); err != nil {
			t.Fatal(err)
		}
	}
	cfg := func(plain string) *secrets.Config {
		file := r.encrypt("netrc", plain)
		ids := []string{"~/.config/gocfg/age.key"}
		one := map[string]secrets.HomeSecret{"netrc": {File: file, Path: str(".netrc"), Mode: "0600"}}
		return &secrets.Config{Home: map[string]secrets.HomeAge{"app": {Secrets: one, IdentityPaths: ids}, "bob": {Secrets: one, IdentityPaths: ids}}}
	}
	r.switchTo(cfg("NETRC-1"))
	old := legacy(t, r, r.sw.Current())
	if err := r.sw.Store.Flip(old); err != nil {
		t.Fatal(err)
	}
	r.switchTo(cfg("NETRC-2"))
	cur := r.sw.Current()

	rollback := func(n int, user string) *platform.Plan { return rollbackInTheWay(t, r, n, user) }
	// To the old generation, app held: bob gets a root of his own.
	p := rollback(old, "app")
	added := p.AddedRoots()
	if len(added) != 1 || added[0].Root != secrets.HomeStoreRoot("bob") || added[0].Rel != "netrc" {
		t.Fatalf("added roots %+v, want bob's netrc", added)
	}
	// The generation cmd/gocfg's rollback records (rerecordedGeneration).
	res, err := p.EncodeRerecorded(r.sw.Applied(old))
	if err != nil {
		t.Fatal(err)
	}
	next := r.sw.Next()
	g := &generations.NewGeneration{Meta: generations.Meta{Number: next, Time: time.Unix(0, 0), Version: "test", Command: "rollback", RollbackOf: old},
		Config: []byte("{}"), Resources: res, FilesOf: old, Files: added,
		Areas: map[string]generations.Area{added[0].Root: p.Areas[added[0].Root]}, RootsFrom: map[string]int{}}
	for _, root := range p.HeldRoots {
		g.RootsFrom[root] = cur
	}
	// Her held conflict is the rollback's partial result, not a refusal.
	if res, err := r.sw.Run(platform.Switch{From: cur, To: next, Generation: g, Plan: p, Command: "rollback"}); err != nil {
		t.Fatalf("the rollback: %v", err)
	} else {
		providertest.NoProblems(t, res)
	}
	if got := r.read("/home/bob/.netrc"); got != "NETRC-1" {
		t.Errorf("bob's .netrc after the rollback: %q", got)
	}
	if r, err := r.sw.Store.Verify(generations.VerifyOptions{}); err != nil || len(r.Damaged) != 0 {
		t.Errorf("verify: %v %+v", err, r)
	}
	// From it, bob's file in the way holds him.
	p = rollback(cur, "bob")
	if !slices.Contains(p.HeldRoots, secrets.HomeStoreRoot("bob")) {
		t.Errorf("rollback from the recorded generation with bob's file in the way: conflicts %+v, held roots %q; want bob held", p.Conflicts, p.HeldRoots)
	}
}
