package files

import (
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
)

// bobHome is the home useradd makes for bob in these tests.
const bobHome = "/home/bob"

// newHomeFixture is a machine with a skeleton (/etc/skel: .bashrc,
// .profile, .bash_logout, and a folder .config holding keep) on which bob is created in
// the next switch, with a home useradd makes.
func newHomeFixture(t *testing.T) *fixture {
	fx := newFixture(t)
	fx.Write("/etc/skel/.bashrc", "skel bashrc\n")
	fx.Write("/etc/skel/.profile", "skel profile\n")
	fx.Write("/etc/skel/.bash_logout", "skel logout\n")
	fx.Write("/etc/skel/.config/keep", "k\n")
	fx.newHomes = map[string]bool{"bob": true}
	return fx
}

// bobs is a Config with bob's files.
func bobs(files map[string]HomeFile) *Config {
	return &Config{Home: map[string]HomeConfig{"bob": {Files: files}}}
}

// useradd does what `useradd --create-home` does to the machine: a home
// folder with a copy of the skeleton.
func (fx *fixture) useradd(home string) {
	fx.t.Helper()
	fx.mkdir(home)
	if err := os.CopyFS(fx.Host(home), os.DirFS(fx.Host("/etc/skel"))); err != nil {
		fx.t.Fatal(err)
	}
}

// TestNewHomeSkeleton: in a home useradd makes in the same switch, the
// copy of a skeleton file gocfg manages is replaced (deleted when the
// switch commits), the skeleton's folders are useradd's, and its other
// files stay.
func TestNewHomeSkeleton(t *testing.T) {
	fx := newHomeFixture(t)
	cfg := bobs(map[string]HomeFile{".bashrc": text("gocfg bashrc"), ".bash_logout": copyText("bye"), ".config/app/conf": text("c"), ".vimrc": text("v")})
	p, l, err := fx.plan(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Conflicts) > 0 {
		t.Fatalf("conflicts: %+v", p.Conflicts)
	}
	ch, _ := changeByID(p.Changes, "file:~bob/.bashrc")
	if got := strings.Join(opsOf(ch), " "); got != "skel.aside file.link" || ch.Action != platform.Create ||
		!strings.Contains(ch.Note, "replaces the copy of /etc/skel/.bashrc useradd makes") {
		t.Errorf(".bashrc: %s %s (%s)", ch.Action, got, ch.Note)
	}
	if ch, _ := changeByID(p.Changes, "file:~bob/.bash_logout"); strings.Join(opsOf(ch), " ") != "skel.aside file.write" {
		t.Errorf(".bash_logout, a copy: %v", opsOf(ch))
	}
	if ch, _ := changeByID(p.Changes, "file:~bob/.vimrc"); strings.Join(opsOf(ch), " ") != "file.link" || ch.Note != "" {
		t.Errorf(".vimrc, which the skeleton has not: %v (%s)", opsOf(ch), ch.Note)
	}
	if _, ok := changeByID(p.Changes, "dir:~bob/.config"); ok {
		t.Error("gocfg makes ~bob/.config, which useradd copies from the skeleton")
	}
	if _, ok := changeByID(p.Changes, "dir:~bob/.config/app"); !ok {
		t.Errorf("no change for ~bob/.config/app: %q", ids(p.Changes))
	}
	for _, d := range p.Records["files"].(*Records).Dirs {
		if d.Path == bobHome+"/.config" {
			t.Error("~bob/.config is recorded as gocfg's")
		}
	}
	// The switch, with useradd's part done first.
	fx.useradd(bobHome)
	if err := fx.apply(p, l.Current, l.To); err != nil {
		t.Fatal(err)
	}
	if got := fx.Read(bobHome + "/.bashrc"); got != "gocfg bashrc" {
		t.Errorf("~bob/.bashrc: %q", got)
	}
	if got := fx.Read(bobHome + "/.bash_logout"); got != "bye" {
		t.Errorf("~bob/.bash_logout: %q", got)
	}
	snap := fx.snapshot(bobHome)
	want := []string{bobHome, bobHome + "/.bash_logout", bobHome + "/.bashrc", bobHome + "/.config", bobHome + "/.config/app", bobHome + "/.config/app/conf",
		bobHome + "/.config/keep", bobHome + "/.profile", bobHome + "/.vimrc"}
	if len(snap) != len(want) {
		t.Errorf("~bob holds %d paths, want %d (nothing set aside left):\n%v", len(snap), len(want), snap)
	}
	for _, p := range want {
		if _, ok := snap[p]; !ok {
			t.Errorf("%s is missing", p)
		}
	}
	if got := fx.Read(bobHome + "/.profile"); got != "skel profile\n" {
		t.Errorf("~bob/.profile: %q", got)
	}
	// Nothing left to do; and the records do not own useradd's folder, so
	// dropping the files leaves it.
	if p, _, err := fx.plan(cfg); err != nil || !p.Empty() {
		t.Fatalf("second plan: %v %q", err, ids(p.Changes))
	}
	fx.switchTo(bobs(map[string]HomeFile{".vimrc": text("v")}))
	if !fx.Exists(bobHome+"/.config/keep") || !fx.Exists(bobHome+"/.profile") || fx.Exists(bobHome+"/.config/app") || fx.Exists(bobHome+"/.bashrc") {
		t.Errorf("after dropping the files: %v", fx.snapshot(bobHome))
	}
}

// TestNewHomeSkeletonBackup: with --backup-ext the skeleton's copy is
// kept as the backup, recorded, and put back when the file is dropped.
func TestNewHomeSkeletonBackup(t *testing.T) {
	fx := newHomeFixture(t)
	fx.backupExt = ".orig"
	cfg := bobs(map[string]HomeFile{".bashrc": text("gocfg bashrc")})
	p, l, err := fx.plan(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ch, _ := changeByID(p.Changes, "file:~bob/.bashrc")
	if !strings.Contains(ch.Note, "backup to /home/bob/.bashrc.orig") {
		t.Errorf("note: %s", ch.Note)
	}
	fx.useradd(bobHome)
	if err := fx.apply(p, l.Current, l.To); err != nil {
		t.Fatal(err)
	}
	if got := fx.Read(bobHome + "/.bashrc.orig"); got != "skel bashrc\n" {
		t.Errorf("backup: %q", got)
	}
	fx.backupExt = ""
	fx.switchTo(bobs(map[string]HomeFile{".vimrc": text("v")}))
	if got := fx.Read(bobHome + "/.bashrc"); got != "skel bashrc\n" || fx.Exists(bobHome+"/.bashrc.orig") {
		t.Errorf("~bob/.bashrc once dropped: %q", got)
	}

	// A backup path the skeleton has too would be taken by useradd.
	fx = newHomeFixture(t)
	fx.Write("/etc/skel/.bashrc.orig", "x")
	fx.backupExt = ".orig"
	p, _, err = fx.plan(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Conflicts) != 1 || !strings.Contains(p.Conflicts[0].Problem, "backup path /home/bob/.bashrc.orig would be taken") {
		t.Errorf("conflicts: %+v", p.Conflicts)
	}
}

// TestNewHomeSkeletonConflicts: a skeleton folder where a managed file
// goes, or a file where a folder is needed, is a conflict of that home.
func TestNewHomeSkeletonConflicts(t *testing.T) {
	fx := newHomeFixture(t)
	fx.Write("/etc/skel/.local", "a file")
	p, _, err := fx.plan(bobs(map[string]HomeFile{".config": text("c"), ".local/share/x": text("x")}))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range p.Conflicts {
		got = append(got, c.ID+": "+c.Problem)
	}
	want := []string{
		"file:~bob/.config: useradd copies /etc/skel/.config here, a folder, which gocfg does not replace",
		"dir:~bob/.local: useradd copies /etc/skel/.local here, a file, where gocfg needs a folder",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("conflicts:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestNewHomeExists: a home that exists already is not made by useradd:
// the skeleton does not matter.
func TestNewHomeExists(t *testing.T) {
	fx := newHomeFixture(t)
	fx.mkdir(bobHome)
	p, _, err := fx.plan(bobs(map[string]HomeFile{".bashrc": text("b"), ".config/app": text("a")}))
	if err != nil {
		t.Fatal(err)
	}
	if ch, _ := changeByID(p.Changes, "file:~bob/.bashrc"); strings.Join(opsOf(ch), " ") != "file.link" {
		t.Errorf(".bashrc: %v", opsOf(ch))
	}
	if _, ok := changeByID(p.Changes, "dir:~bob/.config"); !ok {
		t.Errorf("no change for ~bob/.config: %q", ids(p.Changes))
	}
}

// TestSkelOp: the op sets aside only the skeleton's copy, puts it back on
// undo, and deletes it at commit unless it changed.
func TestSkelOp(t *testing.T) {
	ctx := context.Background()
	fx := newHomeFixture(t)
	fx.useradd(bobHome)
	skel := &live{kind: isFile}
	h, err := skel.contentHash(fx.Sys, "/etc/skel/.bashrc")
	if err != nil {
		t.Fatal(err)
	}
	path, aside := bobHome+"/.bashrc", bobHome+"/.bashrc.gocfg-1~"
	o := &SkelOp{Path: path, Skel: "/etc/skel/.bashrc", Hash: h, Aside: aside}
	if err := o.Apply(ctx, fx.Sys); err != nil {
		t.Fatal(err)
	}
	if fx.Exists(path) || fx.Read(aside) != "skel bashrc\n" {
		t.Fatalf("after Apply: %v", fx.snapshot(bobHome))
	}
	if err := o.Undo(ctx, fx.Sys); err != nil {
		t.Fatal(err)
	}
	if fx.Exists(aside) || fx.Read(path) != "skel bashrc\n" {
		t.Fatalf("after Undo: %v", fx.snapshot(bobHome))
	}
	if err := o.Apply(ctx, fx.Sys); err != nil {
		t.Fatal(err)
	}
	if err := o.Commit(ctx, fx.Sys); err != nil || fx.Exists(aside) {
		t.Fatalf("Commit: %v; %v", err, fx.snapshot(bobHome))
	}

	// Not the skeleton's: put back, and the switch stops with nothing
	// changed.
	fx.Write(path, "edited")
	err = o.Apply(ctx, fx.Sys)
	if !errors.Is(err, platform.ErrUnchanged) || !strings.Contains(err.Error(), "not the copy of /etc/skel/.bashrc the plan expected") {
		t.Errorf("Apply over an edited copy: %v", err)
	}
	if fx.Exists(aside) || fx.Read(path) != "edited" {
		t.Errorf("after the refused Apply: %v", fx.snapshot(bobHome))
	}
	// Undo leaves alone what it did not set aside.
	fx.Write(aside, "someone's")
	fx.remove(path)
	if err := o.Undo(ctx, fx.Sys); err != nil || fx.Exists(path) {
		t.Errorf("Undo moved back what it did not set aside: %v", err)
	}
	// Nothing copied there: nothing to do.
	fx.remove(aside)
	if err := o.Apply(ctx, fx.Sys); err != nil || fx.Exists(aside) {
		t.Errorf("Apply with nothing there: %v", err)
	}
	// A link of the skeleton is matched by its target.
	fx.symlink("/etc/profile", path)
	lo := &SkelOp{Path: path, Skel: "/etc/skel/.bashrc", Target: "/etc/profile", Aside: aside}
	if err := lo.Apply(ctx, fx.Sys); err != nil || fx.readlink(aside) != "/etc/profile" {
		t.Errorf("Apply to a link: %v", err)
	}
	if err := lo.Undo(ctx, fx.Sys); err != nil || fx.readlink(path) != "/etc/profile" {
		t.Errorf("Undo of a link: %v", err)
	}
}

// TestNewUserArea: root switching, the store area of a user the switch
// creates is guarded by a hidden AreaOp run first; its undo, once the
// account is gone, removes an area the switch made and leaves an older
// one readable by root alone.
func TestNewUserArea(t *testing.T) {
	fx := newHomeFixture(t)
	fx.Write("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n")
	db, err := accounts.Read(fx.Sys)
	if err != nil {
		t.Fatal(err)
	}
	// The account the users provider plans.
	fx.DB = db.With([]accounts.Account{{Name: "bob", UID: 4242, GID: 4242, Home: bobHome}}, []accounts.Group{{Name: "bob", GID: 4242}})
	fx.edit = func(l *machine.Machine) { l.Privileged = true }
	cfg := &Config{Home: map[string]HomeConfig{"bob": {Files: map[string]HomeFile{".bashrc": text("b")}}, "alice": {Files: map[string]HomeFile{".zshrc": text("z")}}}}
	p, _, err := fx.plan(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var guards []string
	for i, c := range p.Changes {
		if c.Kind == "store" {
			guards = append(guards, c.ID)
			if i != 0 || !c.First || !c.Hidden {
				t.Errorf("%s: at %d, First %v, Hidden %v", c.ID, i, c.First, c.Hidden)
			}
		}
	}
	if strings.Join(guards, " ") != "store:home-bob" {
		t.Fatalf("guards: %q", guards)
	}
	o := p.Changes[0].Ops[0].(*AreaOp)
	if *o != (AreaOp{Path: "/var/lib/gocfg/store/home-bob", User: "bob", UID: 4242}) {
		t.Errorf("op: %+v", *o)
	}

	ctx := context.Background()
	area := o.Path
	fx.Write(area+"/0123/f", "bob's")
	// The account is there: the area stays.
	fx.Write("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\nbob:x:4242:4242::/home/bob:/bin/sh\n")
	if err := o.Undo(ctx, fx.Sys); err != nil || !fx.Exists(area+"/0123/f") {
		t.Fatalf("Undo with bob there: %v", err)
	}
	// Gone: the area the switch made goes.
	fx.Write("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")
	if err := o.Undo(ctx, fx.Sys); err != nil || fx.Exists(area) {
		t.Fatalf("Undo with bob gone: %v; area there: %v", err, fx.Exists(area))
	}
	if err := o.Undo(ctx, fx.Sys); err != nil {
		t.Errorf("Undo again: %v", err)
	}
	// An area older generations use keeps its objects, and names bob's
	// uid no more.
	fx.Write(area+"/0123/f", "bob's")
	host := fx.Host(area)
	if err := fx.Real.GrantRead(host, 4242); err == nil {
		if uids := aclUsers(t, host); len(uids) != 1 || uids[0] != 4242 {
			t.Fatalf("the ACL granted names %v", uids)
		}
	} else if !errors.Is(err, errors.ErrUnsupported) {
		t.Fatal(err)
	}
	o.Existed = true
	if err := o.Undo(ctx, fx.Sys); err != nil || !fx.Exists(area+"/0123/f") {
		t.Fatalf("Undo of an older area: %v", err)
	}
	if uids := aclUsers(t, host); len(uids) > 0 && (len(uids) != 1 || uids[0] != 0) {
		t.Errorf("the area's ACL names uids %v", uids)
	}
	if fi, err := os.Stat(host); err != nil || fi.Mode().Perm()&0o007 != 0 {
		t.Errorf("area mode: %v %v", fi.Mode(), err)
	}
}

// aclUsers lists the uids a folder's access ACL names (none without one).
func aclUsers(t *testing.T, p string) []uint32 {
	t.Helper()
	buf := make([]byte, 256)
	n, err := unix.Getxattr(filepath.Clean(p), "system.posix_acl_access", buf)
	if errors.Is(err, unix.ENODATA) || errors.Is(err, unix.EOPNOTSUPP) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var uids []uint32
	for b := buf[4:n]; len(b) >= 8; b = b[8:] {
		if binary.LittleEndian.Uint16(b) == 0x02 { // ACL_USER
			uids = append(uids, binary.LittleEndian.Uint32(b[4:]))
		}
	}
	return uids
}

// TestNewHomeOpsJournal: the ops of new homes are registered and survive
// the journal's JSON encoding.
func TestNewHomeOpsJournal(t *testing.T) {
	for _, op := range []platform.Op{
		&SkelOp{Path: bobHome + "/.bashrc", Skel: "/etc/skel/.bashrc", Hash: "ab", Aside: bobHome + "/.bashrc.orig", Keep: true},
		&SkelOp{Path: bobHome + "/.bashrc", Skel: "/etc/skel/.bashrc", Target: "/etc/bash.bashrc", Aside: bobHome + "/.bashrc.gocfg-2~"},
		&AreaOp{Path: "/var/lib/gocfg/store/home-bob", User: "bob", UID: 4242, Existed: true},
	} {
		if name := platform.OpName(op); !slices.Contains(platform.OpTypes(), name) {
			t.Errorf("%T is not registered (name %q)", op, name)
		}
		if back := providertest.JournalRoundTrip(t, op); !strings.Contains(back.Describe(), "bob") {
			t.Errorf("%T describes itself as %q, without bob", back, back.Describe())
		}
	}
}
