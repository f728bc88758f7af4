package secrets_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"filippo.io/age"
	"filippo.io/age/agessh"
	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/secrets"
	"github.com/gocfg/gocfg/platform/system"
	agesecrets "github.com/gocfg/gocfg/secrets"
	"golang.org/x/crypto/ssh"
)

// newRig0Accounts are the rig's accounts: root, and app with a home.
func newRig0Accounts() *accounts.Database {
	return accounts.New([]accounts.Account{{Name: "root", UID: 0, GID: 0, Home: "/root"}, {Name: "app", UID: appUID, GID: appGID, Home: "/home/app"}},
		[]accounts.Group{{Name: "root", GID: 0}, {Name: "app", GID: appGID}, {Name: "keys", GID: 999}})
}

// rig is a --root tree that behaves as a live machine for this provider:
// /proc/self/mountinfo says /run is a tmpfs, an age key sits in
// /etc/gocfg-test/age.key, and the repository is a host folder.
type rig struct {
	t     testing.TB
	root  string
	repo  string
	sys   *system.Rooted
	id    *age.X25519Identity
	sw    *providertest.Switcher
	accts *accounts.Database
}

const appUID, appGID = 4321, 4322

func newRig(t *testing.T) *rig {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root: secrets are chowned")
	}
	r := &rig{t: t, root: t.TempDir(), repo: t.TempDir()}
	r.sys = system.NewRooted(r.root, system.NewReal())
	for _, d := range []string{"proc/self", "run", "etc/gocfg-test", "var/lib/gocfg"} {
		if err := os.MkdirAll(filepath.Join(r.root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	r.write(filepath.Join(r.root, "proc/self/mountinfo"), "22 1 0:20 / / rw - ext4 /dev/sda1 rw\n25 22 0:21 / /run rw,nosuid - tmpfs tmpfs rw\n")
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	r.id = id
	r.write(filepath.Join(r.root, "etc/gocfg-test/age.key"), id.String()+"\n")
	r.accts = newRig0Accounts()
	r.sw = &providertest.Switcher{T: t, Sys: r.sys, Store: generations.New(r.sys, "/var/lib/gocfg"), NoConflicts: true}
	return r
}

func (r *rig) write(p, s string) {
	r.t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		r.t.Fatal(err)
	}
}

// encrypt writes plaintext encrypted to the rig's key (or to) as
// repo/name.age and returns its path.
func (r *rig) encrypt(name, plaintext string, to ...age.Recipient) string {
	r.t.Helper()
	if to == nil {
		to = []age.Recipient{r.id.Recipient()}
	}
	ct, err := agesecrets.Encrypt([]byte(plaintext), to, true)
	if err != nil {
		r.t.Fatal(err)
	}
	p := filepath.Join(r.repo, name+".age")
	if err := os.WriteFile(p, ct, 0o644); err != nil {
		r.t.Fatal(err)
	}
	return p
}

func (r *rig) machine() *machine.Machine {
	return &machine.Machine{Sys: r.sys, Host: system.NewReal(), Privileged: true, OS: "linux", Accounts: r.accts,
		Store: r.sw.Store, Current: r.sw.Current(), To: r.sw.Next()}
}

func (r *rig) config(ss map[string]secrets.Secret) *secrets.Config {
	return &secrets.Config{Secrets: ss, IdentityPaths: []string{"/etc/ssh/ssh_host_ed25519_key", "/etc/gocfg-test/age.key"}}
}

// switchTo plans the configuration and applies it as a new generation.
func (r *rig) switchTo(c *secrets.Config) *platform.Plan {
	r.t.Helper()
	p := r.sw.Plan(&secrets.Provider{Machine: r.machine(), Config: c})
	if !p.Empty() {
		r.sw.MustApply(r.sw.SwitchNext(p))
	}
	return p
}

// rollback makes generation n current again from its records.
func (r *rig) rollback(n int) {
	r.t.Helper()
	recs, err := secrets.DecodeRecords(r.sw.Records(n, "secrets"))
	if err != nil {
		r.t.Fatal(err)
	}
	m := r.machine()
	m.To = n
	p := r.sw.Plan(&secrets.Provider{Machine: m, Records: recs})
	r.sw.MustApply(r.sw.Rollback(p, n))
}

// rebooted empties /run/gocfg, as a reboot does, and returns generation
// 1's records and a machine that writes them again (To = Current), as
// gocfg secrets activate plans them.
func (r *rig) rebooted() (*secrets.Records, *machine.Machine) {
	r.t.Helper()
	if err := os.RemoveAll(filepath.Join(r.root, "run/gocfg")); err != nil {
		r.t.Fatal(err)
	}
	recs, err := secrets.DecodeRecords(r.sw.Records(1, "secrets"))
	if err != nil {
		r.t.Fatal(err)
	}
	m := r.machine()
	m.To = m.Current
	return recs, m
}

func (r *rig) read(p string) string {
	r.t.Helper()
	b, err := os.ReadFile(filepath.Join(r.root, p))
	if err != nil {
		r.t.Fatal(err)
	}
	return string(b)
}

func (r *rig) readlink(p string) string {
	l, _ := os.Readlink(filepath.Join(r.root, p))
	return l
}

func (r *rig) exists(p string) bool {
	_, err := os.Lstat(filepath.Join(r.root, p))
	return err == nil
}

// noPlaintext fails when any file of the tree outside /run holds s.
func (r *rig) noPlaintext(s string) {
	r.t.Helper()
	err := filepath.WalkDir(r.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p == filepath.Join(r.root, "run") {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if bytes.Contains(b, []byte(s)) {
				r.t.Errorf("%s holds the plaintext", p)
			}
		}
		return nil
	})
	if err != nil {
		r.t.Fatal(err)
	}
}

func str(s string) *string { return &s }

func shown(p *platform.Plan) []string {
	var out []string
	for _, c := range p.Shown() {
		out = append(out, string(c.Action)+" "+c.ID+": "+c.Note)
	}
	return out
}

func TestSwitchChangeRollbackRemove(t *testing.T) {
	r := newRig(t)
	token := r.encrypt("token", "TOKEN-PLAINTEXT-1")
	cfg := r.config(map[string]secrets.Secret{
		"token": {File: token, Path: str("/etc/app/token"), Owner: "app", Group: str("keys"), Mode: "0440", RestartUnits: []string{"app.service"}},
		"db":    {File: r.encrypt("db", "DB-PLAINTEXT"), Owner: "root", Mode: "0400"},
	})
	p := r.switchTo(cfg)
	if got := shown(p); len(got) != 2 {
		t.Fatalf("first plan: %q", got)
	}
	if got := r.readlink("/run/gocfg/secrets"); got != "secrets.d/1" {
		t.Fatalf("/run/gocfg/secrets -> %q", got)
	}
	if got := r.read("/run/gocfg/secrets/token"); got != "TOKEN-PLAINTEXT-1" {
		t.Fatalf("token = %q", got)
	}
	if mode, uid, gid := r.stat("/run/gocfg/secrets.d/1/token"); mode.Perm() != 0o440 || uid != appUID || gid != 999 {
		t.Errorf("token: mode %v, owner %d:%d; want 0440 %d:999", mode.Perm(), uid, gid, appUID)
	}
	if fi, err := os.Stat(filepath.Join(r.root, "run/gocfg/secrets.d")); err != nil || fi.Mode().Perm() != 0o751 {
		t.Errorf("secrets.d: %v %v", fi.Mode(), err)
	}
	if got := r.readlink("/etc/app/token"); got != "/run/gocfg/secrets/token" {
		t.Errorf("/etc/app/token -> %q", got)
	}
	// Nothing changed: nothing planned.
	if p := r.switchTo(cfg); !p.Empty() {
		t.Fatalf("second plan: %q", shown(p))
	}

	// A new ciphertext: "secret changed", the unit restarted, a new set
	// and the old one gone once the switch is done.
	r.encrypt("token", "TOKEN-PLAINTEXT-2")
	p = r.switchTo(cfg)
	if got := shown(p); len(got) != 1 || !strings.Contains(got[0], "secret changed") || !strings.Contains(got[0], "app.service") {
		t.Fatalf("plan after a new ciphertext: %q", got)
	}
	if !restartsAfterFlip(p, "app.service") {
		t.Error("no restart of app.service after the flip")
	}
	if got := r.read("/run/gocfg/secrets/token"); got != "TOKEN-PLAINTEXT-2" {
		t.Errorf("token = %q", got)
	}
	if r.exists("/run/gocfg/secrets.d/1") {
		t.Error("the previous set is still there")
	}

	// Rollback decrypts generation 1's stored ciphertext again.
	r.rollback(1)
	if got := r.read("/run/gocfg/secrets/token"); got != "TOKEN-PLAINTEXT-1" {
		t.Errorf("after rollback token = %q", got)
	}
	if r.exists("/run/gocfg/secrets.d/2") {
		t.Error("generation 2's set is still there after the rollback")
	}

	// Removal: the link and the plaintext go.
	delete(cfg.Secrets, "token")
	r.switchTo(cfg)
	if r.exists("/etc/app/token") || r.exists("/run/gocfg/secrets/token") {
		t.Error("the removed secret is still there")
	}
	if got := r.read("/run/gocfg/secrets/db"); got != "DB-PLAINTEXT" {
		t.Errorf("db = %q", got)
	}
	cfg.Secrets = nil
	r.switchTo(cfg)
	if r.exists("/run/gocfg/secrets") {
		t.Error("/run/gocfg/secrets is still there with no secret")
	}
	if des, _ := os.ReadDir(filepath.Join(r.root, "run/gocfg/secrets.d")); len(des) != 0 {
		t.Errorf("sets left: %v", des)
	}
	for _, s := range []string{"TOKEN-PLAINTEXT-1", "TOKEN-PLAINTEXT-2", "DB-PLAINTEXT"} {
		r.noPlaintext(s)
	}
	// The ciphertext is in the store, only root reads it.
	fi, err := os.Stat(filepath.Join(r.root, "var/lib/gocfg/store/age"))
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("store/age: %v, %v", fi, err)
	}
}

// restartsAfterFlip says whether plan p restarts unit, and only it,
// after the flip.
func restartsAfterFlip(p *platform.Plan, unit string) bool {
	for _, c := range p.Changes {
		for _, op := range c.Ops {
			if u, ok := op.(*secrets.UnitsOp); ok && strings.Join(u.Restart, " ") == unit && c.AfterFlip {
				return true
			}
		}
	}
	return false
}

func TestPlanRefusesBeforeAnyChange(t *testing.T) {
	r := newRig(t)
	other, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	corrupt := filepath.Join(r.repo, "corrupt.age")
	r.write(corrupt, "age-encryption.org/v1\n-> X25519 nonsense\n")
	tests := []struct {
		name, file, want string
		paths            []string
	}{
		{name: "someone else's", file: r.encrypt("else", "X", other.Recipient()), want: "none of the identities can decrypt it"},
		{name: "corrupt", file: corrupt, want: "not a valid age file"},
		{name: "no identity", file: r.encrypt("ok", "X"), paths: []string{"/etc/nothing"}, want: "none of /etc/nothing exists"},
		{name: "missing file", file: filepath.Join(r.repo, "missing.age"), want: "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := r.config(map[string]secrets.Secret{"s": {File: tt.file, Owner: "root", Mode: "0400"}})
			if tt.paths != nil {
				cfg.IdentityPaths = tt.paths
			}
			_, err := platform.MakePlan(context.Background(), nil, &secrets.Provider{Machine: r.machine(), Config: cfg})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("plan: %v, want %q", err, tt.want)
			}
			var ce *platform.ConfigError
			if !errorsAs(err, &ce) || !strings.HasPrefix(ce.Option, `age.`) {
				t.Errorf("not a ConfigError at an age option: %#v", err)
			}
		})
	}
	if r.exists("/run/gocfg") {
		t.Error("a refused plan wrote /run/gocfg")
	}
}

func TestConfigErrors(t *testing.T) {
	r := newRig(t)
	f := r.encrypt("ok", "X")
	for name, tt := range map[string]struct {
		name string
		s    secrets.Secret
		want string
	}{
		"bad name":   {name: "../x", s: secrets.Secret{File: f, Owner: "root", Mode: "0400"}, want: "secret name"},
		"bad mode":   {name: "a", s: secrets.Secret{File: f, Owner: "root", Mode: "rw"}, want: "octal"},
		"relative":   {name: "a", s: secrets.Secret{File: f, Owner: "root", Mode: "0400", Path: str("etc/x")}, want: "not an absolute path"},
		"in a home":  {name: "a", s: secrets.Secret{File: f, Owner: "root", Mode: "0400", Path: str("/home/app/.netrc")}, want: "home of app"},
		"own folder": {name: "a", s: secrets.Secret{File: f, Owner: "root", Mode: "0400", Path: str("/run/gocfg/x")}, want: "gocfg's own"},
		"no owner":   {name: "a", s: secrets.Secret{File: f, Owner: "nobody2", Mode: "0400"}, want: "does not exist"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := platform.MakePlan(context.Background(), nil, &secrets.Provider{Machine: r.machine(), Config: r.config(map[string]secrets.Secret{tt.name: tt.s})})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("plan: %v, want %q", err, tt.want)
			}
		})
	}
}

// TestOffline: under --root nothing is decrypted or written under /run;
// the ciphertext is stored and a note says the boot unit writes it. The
// link needs no key: it is made, pointing where the boot unit writes.
func TestOffline(t *testing.T) {
	r := newRig(t)
	cfg := r.config(map[string]secrets.Secret{"s": {File: r.encrypt("s", "OFFLINE-PLAINTEXT"), Path: str("/etc/s"), Owner: "root", Mode: "0400"}})
	m := r.machine()
	m.Offline = true
	p := r.sw.Plan(&secrets.Provider{Machine: m, Config: cfg})
	if len(p.Notes) != 1 || !strings.Contains(p.Notes[0], "not decrypted under --root") {
		t.Errorf("notes = %q", p.Notes)
	}
	r.sw.MustApply(r.sw.SwitchNext(p))
	if r.exists("/run/gocfg") {
		t.Error("an offline switch wrote the secret")
	}
	if l := r.readlink("/etc/s"); l != "/run/gocfg/secrets/s" {
		t.Errorf("/etc/s links to %q, want /run/gocfg/secrets/s", l)
	}
	var recs secrets.Records
	if err := json.Unmarshal(r.sw.Records(1, "secrets"), &recs); err != nil || recs.Secrets["s"] == nil {
		t.Fatalf("records: %v %v", recs, err)
	}
	r.noPlaintext("OFFLINE-PLAINTEXT")
}

// TestOfflineRemovesEarlierSet: a switch under --root without keys that
// drops a secret a switch with keys had decrypted into the tree removes
// its plaintext (with the set it is in) and its link, and moves the
// link of one whose path changed; before, the plan said "its plaintext
// is removed" and did neither (tester T).
func TestOfflineRemovesEarlierSet(t *testing.T) {
	r := newRig(t)
	s := secrets.Secret{File: r.encrypt("s", "DROPPED-PLAINTEXT"), Path: str("/etc/s"), Owner: "root", Mode: "0400"}
	kept := secrets.Secret{File: r.encrypt("k", "KEPT-PLAINTEXT"), Path: str("/etc/k"), Owner: "root", Mode: "0400"}
	r.switchTo(r.config(map[string]secrets.Secret{"s": s, "k": kept}))
	if got := r.read("/run/gocfg/secrets/s"); got != "DROPPED-PLAINTEXT" || r.readlink("/etc/s") != "/run/gocfg/secrets/s" {
		t.Fatalf("s holds %q after the switch with keys", got)
	}
	kept.Path = str("/etc/k2")
	m := r.machine()
	m.Offline = true
	p := r.sw.Plan(&secrets.Provider{Machine: m, Config: r.config(map[string]secrets.Secret{"k": kept})})
	var note string
	for _, c := range p.Changes {
		if c.ID == secrets.SecretID("s") {
			note = c.Note
		}
	}
	if !strings.Contains(note, "its plaintext is removed, and with it the other secrets decrypted into the tree earlier") {
		t.Errorf("the removal's note is %q", note)
	}
	r.sw.MustApply(r.sw.SwitchNext(p))
	for _, p := range []string{"/run/gocfg/secrets", "/etc/s", "/etc/k"} {
		if r.exists(p) {
			t.Errorf("%s is left", p)
		}
	}
	if sets, err := os.ReadDir(filepath.Join(r.root, "run/gocfg/secrets.d")); err != nil || len(sets) > 0 {
		t.Errorf("secrets.d holds %v (%v), want no set", sets, err)
	}
	if l := r.readlink("/etc/k2"); l != "/run/gocfg/secrets/k" {
		t.Errorf("/etc/k2 links to %q, want /run/gocfg/secrets/k", l)
	}
	// A switch with keys writes the one left again.
	r.switchTo(r.config(map[string]secrets.Secret{"k": kept}))
	if got := r.read("/run/gocfg/secrets/k"); got != "KEPT-PLAINTEXT" {
		t.Errorf("k holds %q after the next switch with keys", got)
	}
}

// TestActivateWritesWhatDecrypts: the boot unit (Switch.BestEffort)
// writes the secrets that decrypt and leaves one that does not out, with
// a warning, as agenix does; before, that one failed the unit's switch
// and no secret was written at boot. A switch still refuses the plan.
func TestActivateWritesWhatDecrypts(t *testing.T) {
	r := newRig(t)
	next, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	cfg := r.config(map[string]secrets.Secret{
		"both": {File: r.encrypt("both", "BOTH-PLAINTEXT", r.id.Recipient(), next.Recipient()), Owner: "root", Mode: "0400"},
		"old":  {File: r.encrypt("old", "OLD-PLAINTEXT"), Path: str("/etc/old"), Owner: "root", Mode: "0400"},
	})
	r.switchTo(cfg)
	// The host's key changed, and the machine rebooted.
	r.write(filepath.Join(r.root, "etc/gocfg-test/age.key"), next.String()+"\n")
	recs, m := r.rebooted()
	m.Switch.BestEffort = true
	p := r.sw.Plan(&secrets.Provider{Machine: m, Records: recs})
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "secret old: ") || !strings.HasSuffix(p.Warnings[0], ": not written; the other secrets are") {
		t.Errorf("warnings = %q", p.Warnings)
	}
	r.sw.MustApply(platform.Switch{From: 1, To: 1, Plan: p, Command: "secrets activate"})
	if got := r.read("/run/gocfg/secrets/both"); got != "BOTH-PLAINTEXT" {
		t.Errorf("both = %q", got)
	}
	if r.exists("/run/gocfg/secrets/old") {
		t.Error("old, which does not decrypt, is there")
	}
	if l := r.readlink("/etc/old"); l != "/run/gocfg/secrets/old" {
		t.Errorf("/etc/old links to %q", l)
	}
	// Without BestEffort (a switch, a rollback) the plan is refused.
	m.Switch.BestEffort = false
	if err := os.RemoveAll(filepath.Join(r.root, "run/gocfg")); err != nil {
		t.Fatal(err)
	}
	p = r.sw.Plan(&secrets.Provider{Machine: m, Records: recs})
	if len(p.Warnings) != 0 {
		t.Errorf("a plan without BestEffort warns %q", p.Warnings)
	}
	if err := r.sw.Apply(platform.Switch{From: 1, To: 1, Plan: p, Command: "secrets activate"}); err == nil || !strings.Contains(err.Error(), "secret old") {
		t.Errorf("the switch without BestEffort: %v", err)
	}
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }

// TestActivateAfterWipe: /run/gocfg emptied (a reboot), the current
// generation's records write the secrets back into the set they name, as
// gocfg secrets activate does, and the configuration then plans nothing.
func TestActivateAfterWipe(t *testing.T) {
	r := newRig(t)
	cfg := r.config(map[string]secrets.Secret{"s": {File: r.encrypt("s", "WIPED-PLAINTEXT"), Path: str("/etc/s"), Owner: "app", Mode: "0400", RestartUnits: []string{"app.service"}}})
	r.switchTo(cfg)
	r.encrypt("other", "X")
	recs, m := r.rebooted()
	// Another set left behind is removed by the switch that rewrites.
	if err := os.MkdirAll(filepath.Join(r.root, "run/gocfg/secrets.d/stale"), 0o700); err != nil {
		t.Fatal(err)
	}
	p := r.sw.Plan(&secrets.Provider{Machine: m, Records: recs})
	if got := shown(p); len(got) != 1 || !strings.Contains(got[0], "secret:s") {
		t.Fatalf("plan after the wipe: %q", got)
	}
	// Written again unchanged: no unit is restarted (the boot unit
	// runs before them, and would wait for its own restart job).
	for _, c := range p.Changes {
		for _, op := range c.Ops {
			if _, ok := op.(*secrets.UnitsOp); ok {
				t.Errorf("%s restarts units after a wipe", c.ID)
			}
		}
	}
	r.sw.MustApply(platform.Switch{From: 1, To: 1, Plan: p, Command: "secrets activate"})
	if got := r.readlink("/run/gocfg/secrets"); got != "secrets.d/1" {
		t.Errorf("/run/gocfg/secrets -> %q, want the recorded set", got)
	}
	if got := r.read("/run/gocfg/secrets/s"); got != "WIPED-PLAINTEXT" {
		t.Errorf("s = %q", got)
	}
	if r.exists("/run/gocfg/secrets.d/stale") {
		t.Error("the stale set is still there")
	}
	if p := r.sw.Plan(&secrets.Provider{Machine: r.machine(), Config: cfg}); !p.Empty() {
		t.Errorf("plan after activation: %q", shown(p))
	}
}

// TestOfflineWithSecrets: under --root with --secrets, the secrets are
// decrypted into the tree with the identities given on the command line
// (files of this machine), not the tree's.
func TestOfflineWithSecrets(t *testing.T) {
	r := newRig(t)
	host := filepath.Join(t.TempDir(), "key.txt")
	if err := os.WriteFile(host, []byte(r.id.String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(r.root, "etc/gocfg-test/age.key")); err != nil {
		t.Fatal(err)
	}
	cfg := r.config(map[string]secrets.Secret{"s": {File: r.encrypt("s", "TREE-PLAINTEXT"), Path: str("/etc/s"), Owner: "root", Mode: "0400"}})
	m := r.machine()
	m.Offline = true
	m.Switch = machine.Switch{Secrets: true, Identities: []string{host}}
	p := r.sw.Plan(&secrets.Provider{Machine: m, Config: cfg})
	if len(p.Notes) != 0 {
		t.Errorf("notes = %q", p.Notes)
	}
	r.sw.MustApply(r.sw.SwitchNext(p))
	if got := r.read("/run/gocfg/secrets/s"); got != "TREE-PLAINTEXT" {
		t.Errorf("s = %q", got)
	}
	if got := r.readlink("/etc/s"); got != "/run/gocfg/secrets/s" {
		t.Errorf("/etc/s -> %q", got)
	}
	// Without the key on the command line, the tree's are not used.
	m = r.machine()
	m.Offline = true
	m.Switch = machine.Switch{Secrets: true, Identities: []string{filepath.Join(t.TempDir(), "none")}}
	if _, err := r.sw.MakePlan(&secrets.Provider{Machine: m, Config: cfg}); err == nil || !strings.Contains(err.Error(), "--identity") {
		t.Errorf("plan without a key: %v", err)
	}
}

// TestPassphraseKey: a passphrase-protected SSH key in
// age.identity_paths fails the plan clearly: a switch asks for no
// passphrase.
func TestPassphraseKey(t *testing.T) {
	r := newRig(t)
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKeyWithPassphrase(priv, "", []byte("pass"))
	if err != nil {
		t.Fatal(err)
	}
	r.write(filepath.Join(r.root, "etc/gocfg-test/id_ed25519"), string(pem.EncodeToMemory(block)))
	sp, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	rcpt, err := agessh.NewEd25519Recipient(sp)
	if err != nil {
		t.Fatal(err)
	}
	cfg := r.config(map[string]secrets.Secret{"s": {File: r.encrypt("s", "X", rcpt), Owner: "root", Mode: "0400"}})
	cfg.IdentityPaths = []string{"/etc/gocfg-test/id_ed25519"}
	_, err = r.sw.MakePlan(&secrets.Provider{Machine: r.machine(), Config: cfg})
	var ce *platform.ConfigError
	if !errors.As(err, &ce) || !strings.Contains(ce.Msg, "protected by a passphrase") || !strings.Contains(ce.Hint, "asks for no passphrase") {
		t.Fatalf("plan: %#v", err)
	}
}

// TestBootBinaryWarning: a plan warns when the program the boot unit
// runs is not on the machine, found as systemd finds it.
func TestBootBinaryWarning(t *testing.T) {
	r := newRig(t)
	cfg := r.config(map[string]secrets.Secret{"s": {File: r.encrypt("s", "X"), Owner: "root", Mode: "0400"}})
	cfg.GocfgBinary = "gocfg"
	p := r.sw.Plan(&secrets.Provider{Machine: r.machine(), Config: cfg})
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], `runs "gocfg", which is not on this machine`) {
		t.Errorf("warnings = %q", p.Warnings)
	}
	bin := filepath.Join(r.root, "usr/bin/gocfg")
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if p := r.sw.Plan(&secrets.Provider{Machine: r.machine(), Config: cfg}); len(p.Warnings) != 0 {
		t.Errorf("warnings with /usr/bin/gocfg there: %q", p.Warnings)
	}
}

// TestErrorsInKeyOrder: the errors about several secrets, and about
// several users' secrets, come in the order of the names, the same in
// every run (they came in map order).
func TestErrorsInKeyOrder(t *testing.T) {
	r := homeRig(t)
	f := r.encrypt("ok", "X")
	bad := func(mode, owner string) secrets.Secret { return secrets.Secret{File: f, Owner: owner, Mode: mode} }
	homeBad := secrets.HomeSecret{File: f, Mode: "rw"}
	cfg := r.config(map[string]secrets.Secret{
		"d": bad("0400", "nobody2"), "b": bad("0400", "nobody2"), "a": bad("rw", "root"), "c": bad("rw", "root"),
	})
	sys := []string{`age.secrets."a".mode`, `age.secrets."c".mode`, `age.secrets."b".owner`, `age.secrets."d".owner`}
	home := &secrets.Config{Home: map[string]secrets.HomeAge{
		"zz":  {Secrets: map[string]secrets.HomeSecret{"x": homeBad}},
		"app": {Secrets: map[string]secrets.HomeSecret{"z": homeBad, "y": homeBad, "w": homeBad}},
		"yy":  {Secrets: map[string]secrets.HomeSecret{"x": homeBad}},
	}}
	homes := []string{
		`home.app.age.secrets."w".mode`, `home.app.age.secrets."y".mode`, `home.app.age.secrets."z".mode`,
		`home.yy.age.secrets`, `home.zz.age.secrets`,
	}
	for _, tt := range []struct {
		cfg  *secrets.Config
		want []string
	}{{cfg, sys}, {home, homes}} {
		for range 20 {
			_, err := platform.MakePlan(context.Background(), nil, &secrets.Provider{Machine: r.machine(), Config: tt.cfg})
			if got := configErrorOptions(t, err); !slices.Equal(got, tt.want) {
				t.Fatalf("errors about\n%q\nwant\n%q", got, tt.want)
			}
		}
	}
}

// configErrorOptions lists the options of the ConfigErrors joined in
// err, in order.
func configErrorOptions(t *testing.T, err error) []string {
	t.Helper()
	var opts []string
	for _, ce := range providertest.ConfigErrors(err) {
		if ce.Option == "" {
			t.Fatalf("%s", ce.Msg)
		}
		opts = append(opts, ce.Option)
	}
	return opts
}

// TestDecodeRecordsFirstErrorInKeyOrder: of several damaged entries, the
// error names the first by name, in every run.
func TestDecodeRecordsFirstErrorInKeyOrder(t *testing.T) {
	for _, tt := range []struct{ data, want string }{
		{`{"secrets": {"d": null, "b": null, "a": null, "c": null}}`, `secret "a"`},
		{`{"homes": {"d": null, "b": null, "a": null, "c": null}}`, `home "a"`},
		{`{"homes": {"u": {"secrets": {"d": null, "b": null, "a": null, "c": null}}}}`, `secret "a" of u`},
	} {
		for range 20 {
			_, err := secrets.DecodeRecords(json.RawMessage(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("%s: error %v, want one about %s", tt.data, err, tt.want)
			}
		}
	}
}
