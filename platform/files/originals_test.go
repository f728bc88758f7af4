package files

import (
	"os"
	"testing"

	"github.com/gocfg/gocfg/internal/filestat"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
)

// rollbackTo plans and applies a rollback from the current generation
// to generation n, from its records.
func (fx *fixture) rollbackTo(t *testing.T, n int) {
	t.Helper()
	recs, err := DecodeRecords(fx.Sw.Records(n, "files"))
	if err != nil {
		t.Fatal(err)
	}
	cur := fx.Current()
	l := &machine.Machine{Sys: fx.Sys, Host: fx.Real, Store: fx.Store, Current: cur, To: n, Offline: true, OS: "linux", Accounts: fx.DB, Switch: machine.Switch{FailFast: true}}
	p := fx.Sw.Plan(&Provider{Machine: l, Records: recs})
	providertest.NoConflicts(t, p)
	if _, err := fx.Sw.Run(providertest.RollbackTo(p, cur, n)); err != nil {
		t.Fatal(err)
	}
}

// TestForceKeepsTheOriginal: force = true replaces an unmanaged file, and
// the replaced file — content and mode, or a link — comes back when gocfg
// lets go of the path or a rollback returns to before it; a file adopted
// for its content comes back too.
func TestForceKeepsTheOriginal(t *testing.T) {
	base := func(extra map[string]HomeFile) *Config {
		hf := map[string]HomeFile{".profile": text("p")}
		for k, v := range extra {
			hf[k] = v
		}
		return home(hf)
	}
	forced := func(s string) HomeFile { f := text(s); f.Force = true; return f }

	fx := newFixture(t)
	fx.Write("/home/alice/.bashrc", "mine\n")
	if err := os.Chmod(fx.Host("/home/alice/.bashrc"), 0o600); err != nil {
		t.Fatal(err)
	}
	fx.symlink("somewhere", "/home/alice/.inputrc")
	fx.Write("/home/alice/.vimrc", "set nu\n")
	fx.switchTo(base(nil)) // generation 1: none of them managed

	p := fx.switchTo(base(map[string]HomeFile{".bashrc": forced("gocfg's\n"), ".inputrc": forced("i"), ".vimrc": text("set nu\n")}))
	if ch := providertest.Change(t, p, "file:~alice/.bashrc"); ch.Note != "replaces what is there (force = true; kept, and put back when gocfg lets go)" {
		t.Errorf("note %q", ch.Note)
	}
	if got := fx.Read("/home/alice/.bashrc"); got != "gocfg's\n" {
		t.Fatalf(".bashrc = %q", got)
	}
	if got := fx.Read(fx.Store.FilePath(2, "originals/home/alice", ".bashrc")); got != "mine\n" {
		t.Errorf("stored original = %q", got)
	}

	// Generation 3 still manages them: the originals are carried.
	fx.switchTo(base(map[string]HomeFile{".bashrc": forced("gocfg's v2\n"), ".inputrc": forced("i"), ".vimrc": text("set nu\n")}))
	// Letting go puts back what was there.
	p = fx.switchTo(base(nil))
	if ch := providertest.Change(t, p, "file:~alice/.bashrc"); ch.Action != platform.Restore {
		t.Errorf("letting go of .bashrc: %+v", ch)
	}
	wantOriginals := func(when string) {
		t.Helper()
		if got := fx.Read("/home/alice/.bashrc"); got != "mine\n" {
			t.Errorf("%s: .bashrc = %q, want the original", when, got)
		}
		if fi, err := os.Lstat(fx.Host("/home/alice/.bashrc")); err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: .bashrc %v %v, want a 0600 file", when, fi, err)
		}
		if got := fx.readlink("/home/alice/.inputrc"); got != "somewhere" {
			t.Errorf("%s: .inputrc → %q, want the original link", when, got)
		}
		if got := fx.Read("/home/alice/.vimrc"); got != "set nu\n" {
			t.Errorf("%s: .vimrc = %q, want the adopted file", when, got)
		}
	}
	wantOriginals("let go")

	// A rollback from a generation that manages them to one from before.
	fx.switchTo(base(map[string]HomeFile{".bashrc": forced("gocfg's\n"), ".inputrc": forced("i"), ".vimrc": text("set nu\n")}))
	fx.rollbackTo(t, 1)
	wantOriginals("rollback")
}

// TestLetGoRestoresTheOriginalBackup: with --backup-ext, the file that
// was there before gocfg is put back when gocfg lets go, not a later
// backup of a hand edit of gocfg's copy; the later backup is kept.
func TestLetGoRestoresTheOriginalBackup(t *testing.T) {
	fx := newFixture(t)
	fx.Write("/home/alice/.bashrc", "original\n")
	fx.backupExt = ".bak"
	fx.switchTo(home(map[string]HomeFile{".bashrc": copyText("gocfg's\n")}))
	if got := fx.Read("/home/alice/.bashrc.bak"); got != "original\n" {
		t.Fatalf(".bashrc.bak = %q", got)
	}
	// A hand edit of gocfg's copy, backed up with another extension.
	fx.Write("/home/alice/.bashrc", "hand edit\n")
	fx.backupExt = ".bak2"
	fx.switchTo(home(map[string]HomeFile{".bashrc": copyText("gocfg's\n")}))
	if got := fx.Read("/home/alice/.bashrc.bak2"); got != "hand edit\n" {
		t.Fatalf(".bashrc.bak2 = %q", got)
	}
	fx.backupExt = ""
	fx.switchTo(home(map[string]HomeFile{".profile": text("p")}))
	if got := fx.Read("/home/alice/.bashrc"); got != "original\n" {
		t.Errorf("after letting go: .bashrc = %q, want the original", got)
	}
	if got := fx.Read("/home/alice/.bashrc.bak2"); got != "hand edit\n" {
		t.Errorf("the hand edit's backup: %q", got)
	}
	if fx.Exists("/home/alice/.bashrc.bak") {
		t.Error(".bashrc.bak is still there: it was put back")
	}
}

// linkOwner is the owner of a link itself.
func linkOwner(t *testing.T, p string) (uid, gid int) {
	t.Helper()
	fi, err := os.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	return filestat.Owner(fi)
}

// TestOriginalLinkGivenBackToItsUser (tester R): a link gocfg put back
// in a user's home, when it let go of the path, was root's; it is the
// user's, as gocfg's own links there are.
func TestOriginalLinkGivenBackToItsUser(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("giving a link to another uid needs root")
	}
	fx := newFixture(t)
	fx.Write("/etc/passwd", "alice:x:4321:4321::/home/alice:/bin/sh\n")
	fx.Write("/etc/group", "alice:x:4321:\n")
	db, err := accounts.Read(fx.Sys)
	if err != nil {
		t.Fatal(err)
	}
	fx.DB = db
	fx.edit = func(l *machine.Machine) { l.Privileged = true }
	if err := os.Chown(fx.Host("/home/alice"), 4321, 4321); err != nil {
		t.Fatal(err)
	}
	fx.symlink("somewhere", "/home/alice/.inputrc")
	forced := text("i")
	forced.Force = true
	fx.switchTo(home(map[string]HomeFile{".profile": text("p")}))
	fx.switchTo(home(map[string]HomeFile{".profile": text("p"), ".inputrc": forced}))
	fx.switchTo(home(map[string]HomeFile{".profile": text("p")}))
	if got := fx.readlink("/home/alice/.inputrc"); got != "somewhere" {
		t.Fatalf(".inputrc → %q, want the original link", got)
	}
	if u, g := linkOwner(t, fx.Host("/home/alice/.inputrc")); u != 4321 || g != 4321 {
		t.Errorf(".inputrc put back as %d:%d, want alice's 4321:4321", u, g)
	}
}

// TestOriginalInHomeNotSetuid (tester S): a setuid file in a home that
// force = true replaced comes back without setuid and setgid: a home is
// its user's, and root does not make a setuid program of what it held.
// (Outside the homes the mode comes back whole; writeObject gives the
// file its owner before its setuid bit.)
func TestOriginalInHomeNotSetuid(t *testing.T) {
	forced := func(s string) HomeFile { f := text(s); f.Force = true; return f }
	fx := newFixture(t)
	fx.Write("/home/alice/.local/bin/tool", "#!/bin/sh\n")
	if err := os.Chmod(fx.Host("/home/alice/.local/bin/tool"), os.ModeSetuid|os.ModeSetgid|0o755); err != nil {
		t.Fatal(err)
	}
	fx.switchTo(home(map[string]HomeFile{".profile": text("p")}))
	fx.switchTo(home(map[string]HomeFile{".profile": text("p"), ".local/bin/tool": forced("gocfg's\n")}))
	fx.switchTo(home(map[string]HomeFile{".profile": text("p")}))
	fi, err := os.Lstat(fx.Host("/home/alice/.local/bin/tool"))
	if err != nil {
		t.Fatal(err)
	}
	if got := fx.Read("/home/alice/.local/bin/tool"); got != "#!/bin/sh\n" {
		t.Errorf("tool = %q, want the original", got)
	}
	if fi.Mode()&(os.ModeSetuid|os.ModeSetgid) != 0 || fi.Mode().Perm() != 0o755 {
		t.Errorf("tool put back %v, want 0755 without setuid and setgid", fi.Mode())
	}
}
