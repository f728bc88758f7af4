package secrets_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/secrets"
	"github.com/gocfg/gocfg/platform/system"

	"filippo.io/age"
)

// homeRig is a rig whose user app has a home with an age key in
// ~/.config/gocfg/age.key and a runtime folder /run/user/4321.
func homeRig(t *testing.T) *rig {
	r := newRig(t)
	key := filepath.Join(r.root, "home/app/.config/gocfg/age.key")
	for _, d := range []string{filepath.Dir(key), filepath.Join(r.root, "run/user/4321")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	r.write(key, r.id.String()+"\n")
	for _, d := range []string{"home/app", "home/app/.config", "home/app/.config/gocfg", "run/user/4321"} {
		if err := os.Chown(filepath.Join(r.root, d), appUID, appGID); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func homeConfig(ss map[string]secrets.HomeSecret) *secrets.Config {
	return &secrets.Config{Home: map[string]secrets.HomeAge{"app": {Secrets: ss, IdentityPaths: []string{"~/.config/gocfg/age.key", "~/.ssh/id_ed25519"}}}}
}

// stat returns the mode and owner of a file of the tree.
func (r *rig) stat(p string) (os.FileMode, int, int) {
	r.t.Helper()
	return testfs.Owner(r.t, filepath.Join(r.root, p))
}

func TestHomeSecrets(t *testing.T) {
	r := homeRig(t)
	cfg := homeConfig(map[string]secrets.HomeSecret{
		"netrc": {File: r.encrypt("netrc", "NETRC-PLAINTEXT-1"), Path: str("~/.netrc"), Mode: "0600"},
		"token": {File: r.encrypt("token", "HOME-TOKEN-PLAINTEXT"), Mode: "0400"},
	})
	p := r.switchTo(cfg)
	if got := shown(p); len(got) != 2 || !strings.Contains(got[0], "secret:~app/netrc") {
		t.Fatalf("plan: %q", got)
	}
	if got := r.read("/home/app/.netrc"); got != "NETRC-PLAINTEXT-1" {
		t.Errorf(".netrc = %q", got)
	}
	if mode, uid, gid := r.stat("/home/app/.netrc"); !mode.IsRegular() || mode.Perm() != 0o600 || uid != appUID || gid != appGID {
		t.Errorf(".netrc: %v %d:%d", mode, uid, gid)
	}
	if got := r.read("/run/user/4321/gocfg/secrets/token"); got != "HOME-TOKEN-PLAINTEXT" {
		t.Errorf("token = %q", got)
	}
	if mode, uid, _ := r.stat("/run/user/4321/gocfg/secrets"); mode.Perm() != 0o700 || uid != appUID {
		t.Errorf("runtime secrets folder: %v %d", mode, uid)
	}
	if p := r.switchTo(cfg); !p.Empty() {
		t.Fatalf("second plan: %q", shown(p))
	}
	r.encrypt("netrc", "NETRC-PLAINTEXT-2")
	p = r.switchTo(cfg)
	if got := shown(p); len(got) != 1 || !strings.Contains(got[0], "secret changed") {
		t.Fatalf("plan after a new ciphertext: %q", got)
	}
	if got := r.read("/home/app/.netrc"); got != "NETRC-PLAINTEXT-2" {
		t.Errorf(".netrc = %q", got)
	}
	r.rollback(1)
	if got := r.read("/home/app/.netrc"); got != "NETRC-PLAINTEXT-1" {
		t.Errorf("after rollback .netrc = %q", got)
	}
	cfg.Home = nil
	r.switchTo(cfg)
	if r.exists("/home/app/.netrc") || r.exists("/run/user/4321/gocfg/secrets/token") {
		t.Error("removed secrets are still there")
	}
	for _, s := range []string{"NETRC-PLAINTEXT-1", "NETRC-PLAINTEXT-2", "HOME-TOKEN-PLAINTEXT"} {
		r.noPlaintext(s)
	}
}

// TestHomeSecretsConfined: the user's links are not followed out of the
// home, neither to read an identity nor to write a secret; an unmanaged
// file in the way is a conflict. What the user controls fails only her
// secrets: they are held (a held conflict, no change), and with
// --fail-fast the plan fails instead.
func TestHomeSecretsConfined(t *testing.T) {
	r := homeRig(t)
	// ~/.ssh is a link to root's /etc/gocfg-test, where root's key is.
	if err := os.Symlink("/etc/gocfg-test", filepath.Join(r.root, "home/app/.ssh")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(r.root, "home/app/.config/gocfg/age.key"), filepath.Join(r.root, "home/app/.config/gocfg/other")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(r.root, "etc/gocfg-test/age.key"), filepath.Join(r.root, "etc/gocfg-test/id_ed25519")); err != nil {
		t.Fatal(err)
	}
	cfg := homeConfig(map[string]secrets.HomeSecret{"netrc": {File: r.encrypt("netrc", "X"), Path: str(".netrc"), Mode: "0600"}})
	failFast := r.machine()
	failFast.Switch.FailFast = true
	_, err := r.sw.MakePlan(&secrets.Provider{Machine: failFast, Config: cfg})
	if err == nil || !strings.Contains(err.Error(), "id_ed25519") {
		t.Fatalf("--fail-fast plan with ~/.ssh linked to /etc: %v", err)
	}
	p, err := r.sw.MakePlan(&secrets.Provider{Machine: r.machine(), Config: cfg})
	if err != nil {
		t.Fatalf("plan with ~/.ssh linked to /etc: %v", err)
	}
	if len(p.Changes) != 0 || len(p.Conflicts) != 1 || !p.Conflicts[0].Held || p.Conflicts[0].ID != "secret:~app/" ||
		!strings.Contains(p.Conflicts[0].Problem, "id_ed25519") {
		t.Fatalf("plan with ~/.ssh linked to /etc: changes %+v, conflicts %+v; want app's secrets held", p.Changes, p.Conflicts)
	}

	r = homeRig(t)
	// ~/.cache is a link to /etc: a secret there is refused, not written
	// into /etc.
	if err := os.Symlink("/etc", filepath.Join(r.root, "home/app/.cache")); err != nil {
		t.Fatal(err)
	}
	cfg = homeConfig(map[string]secrets.HomeSecret{"x": {File: r.encrypt("x", "X"), Path: str(".cache/evil"), Mode: "0600"}})
	p, err = r.sw.MakePlan(&secrets.Provider{Machine: r.machine(), Config: cfg})
	if err == nil {
		err = r.sw.Apply(r.sw.SwitchNext(p))
	}
	if err == nil {
		t.Fatal("a secret was written through a link out of the home")
	}
	if r.exists("/etc/evil") {
		t.Error("/etc/evil was written")
	}

	// An unmanaged file in the way.
	r = homeRig(t)
	r.write(filepath.Join(r.root, "home/app/.netrc"), "mine")
	cfg = homeConfig(map[string]secrets.HomeSecret{"netrc": {File: r.encrypt("netrc", "X"), Path: str(".netrc"), Mode: "0600"}})
	p = r.sw.Plan(&secrets.Provider{Machine: r.machine(), Config: cfg})
	if len(p.Conflicts) != 1 || p.Conflicts[0].Path != "/home/app/.netrc" || !p.Conflicts[0].Held || len(p.Changes) != 0 {
		t.Errorf("changes %+v, conflicts %+v; want app's secrets held", p.Changes, p.Conflicts)
	}
	// Her other secret waits, and the plan says so (tester R: only
	// files' held changes were shown).
	cfg = homeConfig(map[string]secrets.HomeSecret{
		"netrc": {File: r.encrypt("netrc", "X"), Path: str(".netrc"), Mode: "0600"},
		"token": {File: r.encrypt("token", "T"), Path: str(".token"), Mode: "0600"},
	})
	p = r.sw.Plan(&secrets.Provider{Machine: r.machine(), Config: cfg})
	if len(p.Changes) != 0 || len(p.Held) != 1 || !strings.Contains(p.Held[0].ID, "token") {
		t.Errorf("changes %+v, held %+v; want the token's change held", p.Changes, p.Held)
	}
}

// TestHomeSecretsHeld: a switch that holds the user (machine.Switch.Hold,
// after a step in her home failed) leaves her secrets as they are and
// carries their records and ciphertexts into the new generation, so that
// a later switch replaces, and a rollback to it writes, what they record.
func TestHomeSecretsHeld(t *testing.T) {
	r := homeRig(t)
	cfg := homeConfig(map[string]secrets.HomeSecret{"netrc": {File: r.encrypt("netrc", "NETRC-1"), Path: str(".netrc"), Mode: "0600"}})
	r.switchTo(cfg)
	r.encrypt("netrc", "NETRC-2")
	m := r.machine()
	m.Switch.Hold = map[string]string{"app": "a step in ~app failed"}
	p := r.sw.Plan(&secrets.Provider{Machine: m, Config: cfg})
	if len(p.Changes) != 0 {
		t.Fatalf("held plan: changes %q, want none", shown(p))
	}
	r.sw.MustApply(r.sw.SwitchNext(p))
	if got := r.read("/home/app/.netrc"); got != "NETRC-1" {
		t.Fatalf("held: .netrc = %q", got)
	}
	held := r.sw.Current()
	if got := shown(r.switchTo(cfg)); len(got) != 1 || !strings.Contains(got[0], "secret changed") {
		t.Fatalf("plan after the hold: %q", got)
	}
	if got := r.read("/home/app/.netrc"); got != "NETRC-2" {
		t.Errorf("after the hold: .netrc = %q", got)
	}
	r.rollback(held)
	if got := r.read("/home/app/.netrc"); got != "NETRC-1" {
		t.Errorf("after a rollback to the held generation: .netrc = %q", got)
	}
}

// TestHomeSecretEditedIsHers (tester Q): a file she wrote or edited at
// a home secret's path after gocfg wrote it, or a link she made there,
// is hers. A changed ciphertext (a rekey) used to write the secret over
// it without a word, and a secret no longer configured removed it. Now
// it is a conflict (her secrets held) while configured, and left as it
// is when let go; an edit made between the plan and the switch stops
// the switch.
func TestHomeSecretEditedIsHers(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(r *rig, p string)
		why   string
		after string // what .netrc holds at the end
	}{
		{"her own file", func(r *rig, p string) { r.write(p, "MY-OWN-NETRC") }, "changed since gocfg wrote it", "MY-OWN-NETRC"},
		{"edited in place", func(r *rig, p string) { r.write(p, "NETRC-1 + HAND EDIT") }, "changed since gocfg wrote it", "NETRC-1 + HAND EDIT"},
		{"her link", func(r *rig, p string) {
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(".netrc.mine", p); err != nil {
				t.Fatal(err)
			}
		}, "something other than the file gocfg wrote is there", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := homeRig(t)
			netrc := filepath.Join(r.root, "home/app/.netrc")
			cfg := homeConfig(map[string]secrets.HomeSecret{"netrc": {File: r.encrypt("netrc", "NETRC-1"), Path: str("~/.netrc"), Mode: "0600"}})
			r.switchTo(cfg)
			tc.edit(r, netrc)
			r.encrypt("netrc", "NETRC-2")
			p, err := r.sw.MakePlan(&secrets.Provider{Machine: r.machine(), Config: cfg})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Changes) != 0 || len(p.Conflicts) != 1 || !strings.Contains(p.Conflicts[0].Problem, tc.why) {
				t.Fatalf("plan with a new ciphertext: changes %+v, conflicts %+v; want one conflict: %s", shown(p), p.Conflicts, tc.why)
			}
			cfg.Home = nil
			p = r.switchTo(cfg)
			if len(p.Changes) != 1 || len(p.Changes[0].Ops) != 0 || !strings.Contains(p.Changes[0].Note, "is left as it is: "+tc.why) {
				t.Fatalf("plan without the secret: %+v", p.Changes)
			}
			if tc.after != "" {
				if got := r.read("/home/app/.netrc"); got != tc.after {
					t.Errorf(".netrc = %q, want %q kept", got, tc.after)
				}
			} else if fi, err := os.Lstat(netrc); err != nil || fi.Mode()&os.ModeSymlink == 0 {
				t.Errorf("her link: %v, %v", fi, err)
			}
		})
	}
}

// TestHomeSecretEditedDuringSwitch: an edit made after the plan saw the
// secret as gocfg wrote it stops the switch; nothing of hers is lost.
func TestHomeSecretEditedDuringSwitch(t *testing.T) {
	r := homeRig(t)
	cfg := homeConfig(map[string]secrets.HomeSecret{"netrc": {File: r.encrypt("netrc", "NETRC-1"), Path: str("~/.netrc"), Mode: "0600"}})
	r.switchTo(cfg)
	r.encrypt("netrc", "NETRC-2")
	p, err := r.sw.MakePlan(&secrets.Provider{Machine: r.machine(), Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) != 1 || len(p.Conflicts) != 0 {
		t.Fatalf("plan: %q, conflicts %+v", shown(p), p.Conflicts)
	}
	r.write(filepath.Join(r.root, "home/app/.netrc"), "EDITED DURING THE SWITCH")
	if err := r.sw.Apply(r.sw.SwitchFor(p, 0)); err == nil {
		t.Fatal("the switch wrote over an edit made since the plan")
	}
	if got := r.read("/home/app/.netrc"); got != "EDITED DURING THE SWITCH" {
		t.Errorf(".netrc = %q, want the edit kept", got)
	}
}

// TestHomeSecretMovedLeavesHerEdit: a secret given another path removes
// its old file only when it is still what gocfg wrote; her edit of it
// stays, and the plan says so.
func TestHomeSecretMovedLeavesHerEdit(t *testing.T) {
	r := homeRig(t)
	file := r.encrypt("netrc", "NETRC-1")
	r.switchTo(homeConfig(map[string]secrets.HomeSecret{"netrc": {File: file, Path: str("~/.netrc"), Mode: "0600"}}))
	r.write(filepath.Join(r.root, "home/app/.netrc"), "NETRC-1 + HAND EDIT")
	p := r.switchTo(homeConfig(map[string]secrets.HomeSecret{"netrc": {File: file, Path: str("~/.netrc2"), Mode: "0600"}}))
	if !slices.ContainsFunc(p.Notes, func(n string) bool {
		return strings.Contains(n, "its old file /home/app/.netrc is left as it is: changed since gocfg wrote it")
	}) {
		t.Errorf("notes %q", p.Notes)
	}
	if got := r.read("/home/app/.netrc"); got != "NETRC-1 + HAND EDIT" {
		t.Errorf(".netrc = %q, want her edit kept", got)
	}
	if got := r.read("/home/app/.netrc2"); got != "NETRC-1" {
		t.Errorf(".netrc2 = %q", got)
	}
}

// TestHomeIdentityFileBounded (tester S): an identity file in her home
// is read to 64 KiB at most. A bigger one (hers to fill: 16 MiB of
// post-quantum identities took root's gocfg 3.6 GB and 45 s) holds her
// secrets with the reason, without parsing it, and the switch goes on.
func TestHomeIdentityFileBounded(t *testing.T) {
	r := homeRig(t)
	cfg := homeConfig(map[string]secrets.HomeSecret{"netrc": {File: r.encrypt("netrc", "NETRC-1"), Path: str(".netrc"), Mode: "0600"}})
	r.switchTo(cfg)
	r.encrypt("netrc", "NETRC-2")
	// Her real key first, then identities up to just over the bound.
	line := r.id.String() + "\n"
	big := strings.Repeat(line, (64<<10)/len(line)+1)
	r.write(filepath.Join(r.root, "home/app/.config/gocfg/age.key"), big)
	start := time.Now()
	p := r.sw.Plan(&secrets.Provider{Machine: r.machine(), Config: cfg})
	if len(p.Changes) != 0 || len(p.Conflicts) != 1 || !p.Conflicts[0].Held || !strings.Contains(p.Conflicts[0].Problem, "over 64 KiB") {
		t.Fatalf("changes %q, conflicts %+v; want her secrets held for the identity file's size", shown(p), p.Conflicts)
	}
	t.Logf("plan with a %d-byte identity file: %s", len(big), time.Since(start))
	// Within the bound, it is read.
	r.write(filepath.Join(r.root, "home/app/.config/gocfg/age.key"), big[:len(big)-2*len(line)])
	if got := shown(r.switchTo(cfg)); len(got) != 1 || r.read("/home/app/.netrc") != "NETRC-2" {
		t.Errorf("plan %q, .netrc %q", got, r.read("/home/app/.netrc"))
	}
}

// TestHomeSecretUndoKeepsHerEdit (tester T): undoing a home secret's
// write leaves a file she edited during the switch as she left it, and
// says so (platform.ErrKept), instead of writing the earlier secret over
// it or removing it; a file that still holds the earlier secret (the
// write stopped before its rename) is left, its temporary file removed.
func TestHomeSecretUndoKeepsHerEdit(t *testing.T) {
	ctx := context.Background()
	r := homeRig(t)
	netrc := r.encrypt("netrc", "NETRC-1")
	r.switchTo(homeConfig(map[string]secrets.HomeSecret{"netrc": {File: netrc, Path: str("~/.netrc"), Mode: "0600"}}))
	cfg := homeConfig(map[string]secrets.HomeSecret{
		"netrc": {File: r.encrypt("netrc", "NETRC-2"), Path: str("~/.netrc"), Mode: "0600"},
		"tok":   {File: r.encrypt("tok", "TOK"), Path: str("~/.tok"), Mode: "0600"},
	})
	p, err := r.sw.MakePlan(&secrets.Provider{Machine: r.machine(), Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	ops := map[string]*secrets.HomeWriteOp{}
	for _, ch := range p.Changes {
		for _, op := range ch.Ops {
			if w, ok := op.(*secrets.HomeWriteOp); ok {
				ops[filepath.Base(w.Write.Path)] = w
			}
		}
	}
	sys := r.sys
	for _, name := range []string{".netrc", ".tok"} {
		op := ops[name]
		if op == nil {
			t.Fatalf("no write of %s in the plan: %q", name, shown(p))
		}
		// The ciphertext from where the switch would have stored it.
		ct, err := os.ReadFile(filepath.Join(r.repo, strings.TrimPrefix(name, ".")+".age"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(r.root, "stored"), 0o700); err != nil {
			t.Fatal(err)
		}
		r.write(filepath.Join(r.root, "stored", name), string(ct))
		op.Write.Cipher = filepath.Join("/stored", name)
		if err := op.Apply(ctx, sys); err != nil {
			t.Fatal(err)
		}
		r.write(filepath.Join(r.root, "home/app", name), "EDITED DURING THE SWITCH")
		if err := op.Undo(ctx, sys); !errors.Is(err, platform.ErrKept) || !strings.Contains(err.Error(), "(an edit, kept as it is)") {
			t.Errorf("%s: undo: %v, want it kept", name, err)
		}
		if got := r.read("/home/app/" + name); got != "EDITED DURING THE SWITCH" {
			t.Errorf("%s = %q, want her edit", name, got)
		}
	}

	// The write stopped before its rename: the earlier secret is there.
	r.write(filepath.Join(r.root, "home/app/.netrc"), "NETRC-1")
	r.write(filepath.Join(r.root, "home/app/.gocfg-secret-.netrc"), "NETRC-2")
	if err := ops[".netrc"].Undo(ctx, sys); err != nil {
		t.Errorf("undo of a write that did not happen: %v", err)
	}
	if got := r.read("/home/app/.netrc"); got != "NETRC-1" {
		t.Errorf(".netrc = %q", got)
	}
	if _, err := os.Lstat(filepath.Join(r.root, "home/app/.gocfg-secret-.netrc")); !os.IsNotExist(err) {
		t.Errorf("the temporary file is still there: %v", err)
	}
}

// TestHomeSecretUndoWayOutside (tester AE): the folder on the way to a
// home secret became a link out of the home during the switch. The undo
// said the file, which it cannot reach, was kept as edited; it is left,
// and the undo says why, without following the link.
func TestHomeSecretUndoWayOutside(t *testing.T) {
	ctx := context.Background()
	r := homeRig(t)
	cfg := homeConfig(map[string]secrets.HomeSecret{"tok": {File: r.encrypt("tok", "TOK"), Path: str("~/.config/app/tok"), Mode: "0600"}})
	op := storedWrite(t, r, cfg, "tok")
	if err := op.Apply(ctx, r.sys); err != nil {
		t.Fatal(err)
	}
	app := filepath.Join(r.root, "home/app/.config/app")
	if err := os.Rename(app, filepath.Join(r.root, "elsewhere")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/elsewhere", app); err != nil {
		t.Fatal(err)
	}
	err := op.Undo(ctx, r.sys)
	if !errors.Is(err, system.ErrOutside) || errors.Is(err, platform.ErrKept) || !strings.Contains(err.Error(), "a folder on the way leads outside the home") {
		t.Errorf("undo: %v, want it left for the way outside, not kept as edited", err)
	}
	if got := r.read("/elsewhere/tok"); got != "TOK" {
		t.Errorf("/elsewhere/tok = %q, want it as it was", got)
	}
}

// TestHomeSecretsActivateWritesMissing (reviewer): gocfg secrets
// activate plans the current generation's records against themselves
// (To = Current); a user's secrets recorded alike in "both" are still
// looked at there, and the files gone (a reboot emptied her runtime
// folder) are written again. Only a rollback carries them unlooked at.
func TestHomeSecretsActivateWritesMissing(t *testing.T) {
	r := homeRig(t)
	cfg := homeConfig(map[string]secrets.HomeSecret{
		"netrc": {File: r.encrypt("netrc", "NETRC-PLAINTEXT-1"), Path: str("~/.netrc"), Mode: "0600"},
		"token": {File: r.encrypt("token", "HOME-TOKEN-PLAINTEXT"), Mode: "0400"},
	})
	r.switchTo(cfg)
	for _, p := range []string{"home/app/.netrc", "run/user/4321/gocfg/secrets/token"} {
		if err := os.Remove(filepath.Join(r.root, p)); err != nil {
			t.Fatal(err)
		}
	}
	recs, m := r.rebooted()
	p := r.sw.Plan(&secrets.Provider{Machine: m, Records: recs})
	if got := shown(p); len(got) != 2 {
		t.Fatalf("activate's plan: %q, want both secrets written again", got)
	}
	r.sw.MustApply(r.sw.Rollback(p, 1))
	if got := r.read("/home/app/.netrc"); got != "NETRC-PLAINTEXT-1" {
		t.Errorf(".netrc = %q", got)
	}
}

// TestHomeSecretUndoCannotTell (testers AZ, reviewer R20): an undo whose
// keys open neither secret cannot tell gocfg's write from her edit: it
// keeps the file and says it may hold either; one whose new ciphertext
// was never stored (the switch stopped before it) did not run, and
// leaves the file without a word.
func TestHomeSecretUndoCannotTell(t *testing.T) {
	r := homeRig(t)
	r.switchTo(homeConfig(map[string]secrets.HomeSecret{"netrc": {File: r.encrypt("netrc", "NETRC-1"), Path: str("~/.netrc"), Mode: "0600"}}))
	cfg := homeConfig(map[string]secrets.HomeSecret{"netrc": {File: r.encrypt("netrc", "NETRC-2"), Path: str("~/.netrc"), Mode: "0600"}})
	op := storedWrite(t, r, cfg, "netrc")
	stored := filepath.Join(r.root, "stored", "netrc")
	if err := op.Apply(context.Background(), r.sys); err != nil {
		t.Fatal(err)
	}
	other, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	r.write(filepath.Join(r.root, "other.key"), other.String()+"\n")
	ctx, err := secrets.WithCommandIdentities(context.Background(), r.sys, []string{"/other.key"})
	if err != nil {
		t.Fatal(err)
	}
	if err := op.Undo(ctx, r.sys); !errors.Is(err, platform.ErrKept) || !strings.Contains(err.Error(), "it may hold the new secret gocfg wrote, or an edit") {
		t.Errorf("undo with a key to neither: %v, want it kept, saying it may be either", err)
	}
	if got := r.read("/home/app/.netrc"); got != "NETRC-2" {
		t.Errorf(".netrc = %q, want it as it was", got)
	}

	// The new ciphertext never stored: the switch stopped before the
	// write, and whatever is there stays, without a word.
	if err := os.Remove(stored); err != nil {
		t.Fatal(err)
	}
	r.write(filepath.Join(r.root, "home/app/.netrc"), "HER OWN")
	if err := op.Undo(context.Background(), r.sys); err != nil {
		t.Errorf("undo of a write that never ran: %v", err)
	}
	if got := r.read("/home/app/.netrc"); got != "HER OWN" {
		t.Errorf(".netrc = %q, want hers", got)
	}
}

// storedWrite plans cfg and returns its write of a user's secret, its
// ciphertext stored (from the repository's <name>.age) at /stored/<name>,
// where a switch would have stored it in the new generation.
func storedWrite(t *testing.T, r *rig, cfg *secrets.Config, name string) *secrets.HomeWriteOp {
	t.Helper()
	p, err := r.sw.MakePlan(&secrets.Provider{Machine: r.machine(), Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	var op *secrets.HomeWriteOp
	for _, ch := range p.Changes {
		for _, o := range ch.Ops {
			if w, ok := o.(*secrets.HomeWriteOp); ok {
				op = w
			}
		}
	}
	if op == nil {
		t.Fatalf("no write in the plan: %q", shown(p))
	}
	ct, err := os.ReadFile(filepath.Join(r.repo, name+".age"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(r.root, "stored"), 0o700); err != nil {
		t.Fatal(err)
	}
	r.write(filepath.Join(r.root, "stored", name), string(ct))
	op.Write.Cipher = "/stored/" + name
	return op
}
