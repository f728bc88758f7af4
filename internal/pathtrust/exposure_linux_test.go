package pathtrust

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/gocfg/gocfg/internal/testfs"
)

// TestExposure: the first part of a way another user could change, links
// followed by hand (reviewer R4: a root link to her link in a sticky
// folder), parts missing where others could make them, and a group
// that is its owner's private one.
func TestExposure(t *testing.T) {
	base, do := rootTemp(t)
	dir := func(rel string, mode os.FileMode, uid int) string {
		p := filepath.Join(base, rel)
		do(os.MkdirAll(p, 0o755))
		do(os.Chmod(p, mode))
		do(os.Lchown(p, uid, uid))
		return p
	}
	file := func(rel string, mode os.FileMode, uid, gid int) string {
		p := filepath.Join(base, rel)
		do(os.WriteFile(p, []byte("x"), mode))
		do(os.Chmod(p, mode))
		do(os.Lchown(p, uid, gid))
		return p
	}
	link := func(rel, target string, uid int) string {
		p := filepath.Join(base, rel)
		do(os.Symlink(target, p))
		do(os.Lchown(p, uid, uid))
		return p
	}
	dir("real", 0o755, 0)
	file("real/m.hcl", 0o644, 0, 0)
	dir("stk", os.ModeSticky|0o777, 0)
	hersLink := link("stk/y.hcl", filepath.Join(base, "real/m.hcl"), 4321)
	rootsLink := link("stk/r.hcl", filepath.Join(base, "real/m.hcl"), 0)
	do(os.Link(filepath.Join(base, "real/m.hcl"), filepath.Join(base, "stk/linked")))
	dir("cfg", 0o755, 0)
	link("cfg/via-hers.hcl", hersLink, 0)
	link("cfg/via-root.hcl", rootsLink, 0)
	link("cfg/rel.hcl", "../real/m.hcl", 0)
	dir("group", 0o775, 4321)
	file("group/m.hcl", 0o664, 4321, 4321)
	dir("hersdir", 0o755, 4321)
	link("cfg/lh", filepath.Join(base, "hersdir"), 0)
	dir("loop", 0o755, 0)
	link("loop/a", "b", 0)
	link("loop/b", "a", 0)

	strict := Policy{Trusted: Trusting(4321), Leaf: true, Missing: true}
	private := strict
	private.PrivateGroup = func(uid, gid int) bool { return uid == 4321 && gid == 4321 }
	root := Policy{Trusted: Trusting(), Leaf: true, Missing: true}
	for _, tc := range []struct {
		name, path string
		p          Policy
		where, why string
	}{
		{"a root file", "real/m.hcl", root, "", ""},
		{"through a root link to her link", "cfg/via-hers.hcl", root, "stk/y.hcl", "is owned by uid 4321"},
		{"through root's links", "cfg/via-root.hcl", root, "", ""},
		{"a relative link", "cfg/rel.hcl", root, "", ""},
		{"missing in a sticky folder", "stk/new.hcl", root, "stk/new.hcl", "does not exist, in a folder others may create it in"},
		{"missing in root's folder", "real/new.hcl", root, "", ""},
		{"group-writable, its private group", "group/m.hcl", private, "", ""},
		{"group-writable, another group", "group/m.hcl", strict, "group", "may be written by others (mode 0775, no sticky bit)"},
		{"a link loop", "loop/a", root, "loop/", "is a link that cannot be followed"},
		// The kernel reads lh/.. as hersdir's parent: the walk goes
		// through her folder, not to a cfg/real that does not exist.
		{"link/.. as the kernel reads it", "cfg/lh/../real/m.hcl", root, "hersdir", "is owned by uid 4321"},
		{"a file of root's hard-linked in a sticky folder", "stk/linked", root, "stk/linked", "has more than one hard link, in a folder others may create entries in"},
		// A read of it fails the same way.
		{"below a file", "real/m.hcl/x", root, "", ""},
		// Any other failed lstat is no answer (EIO below, too).
		{"a name too long", "real/" + strings.Repeat("n", 300), root, "real/" + strings.Repeat("n", 300), "cannot be looked at (file name too long)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			where, why := Exposure(OS, base+"/"+tc.path, tc.p) // not cleaned: as the kernel reads it
			want := ""
			if tc.where != "" {
				want = filepath.Join(base, tc.where)
			}
			if strings.HasSuffix(tc.where, "/") {
				if !strings.HasPrefix(where, want) || why != tc.why {
					t.Errorf("Exposure = %q %q, want under %q, %q", where, why, want, tc.why)
				}
				return
			}
			if where != want || why != tc.why {
				t.Errorf("Exposure = %q %q, want %q %q", where, why, want, tc.why)
			}
		})
	}
	if where, why := Exposure(OS, "relative/path", root); where != "relative/path" || why != "is not an absolute path" {
		t.Errorf("a relative path: %q %q", where, why)
	}
	failing := failingLooker{Looker: OS, path: filepath.Join(base, "real"), err: syscall.EIO}
	if where, why := Exposure(failing, base+"/real/m.hcl", root); where != failing.path || why != "cannot be looked at (input/output error)" {
		t.Errorf("a folder whose lstat fails with EIO: %q %q", where, why)
	}
}

// TestReaderRefused: a refused read is kept, for the evaluation to fail
// with even when the configuration caught the error (reviewer R4).
func TestReaderRefused(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give files to another uid")
	}
	base := t.TempDir()
	p := filepath.Join(base, "hers.txt")
	if err := os.WriteFile(p, []byte("hers"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(p, 4321, 4321); err != nil {
		t.Fatal(err)
	}
	r := &Reader{Policy: Policy{Trusted: Trusting()}}
	if _, err := r.ReadFile(p); err == nil || !strings.Contains(err.Error(), "is owned by uid 4321") {
		t.Errorf("ReadFile(hers) = %v", err)
	}
	if err := r.Refused(); err == nil {
		t.Error("Refused() = nil after a refusal")
	}
	if b, err := (&Reader{Policy: Policy{Trusted: Trusting(4321)}}).ReadFile(p); err != nil || string(b) != "hers" {
		t.Errorf("ReadFile as the sudo user's = %q, %v", b, err)
	}
	// A way that cannot be looked at is refused, and said so, not as
	// another user's (reviewer R6).
	long := filepath.Join(base, strings.Repeat("n", 300))
	_, err := (&Reader{Policy: Policy{Trusted: Trusting()}}).ReadFile(long)
	if !errors.Is(err, ErrUntrusted) || !errors.Is(err, ErrUnchecked) || !strings.Contains(err.Error(), "cannot be looked at (file name too long), so gocfg cannot tell who could change it") {
		t.Errorf("ReadFile of a name too long = %v", err)
	}
}

// TestExposureACL: a group-writable file of its owner's private group is
// its owner's alone, unless an access ACL may let another user write
// (tester AJ: u:her:rw on root's module, mode 0664, was trusted).
func TestExposureACL(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give files to another uid")
	}
	base := t.TempDir()
	p := filepath.Join(base, "m.hcl")
	if err := os.WriteFile(p, []byte("x"), 0o664); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o664); err != nil {
		t.Fatal(err)
	}
	pol := Policy{Trusted: Trusting(), Leaf: true, PrivateGroup: func(uid, gid int) bool { return uid == 0 && gid == 0 }}
	if where, why := Exposure(OS, p, pol); where != "" {
		t.Fatalf("without an ACL: %q %q", where, why)
	}
	// user::rw- user:4322:rw- group::r-- mask::rw- other::r--
	acl := testfs.ACLBytes(testfs.ACLEntry{Tag: testfs.ACLUserObj, Perm: 6}, testfs.ACLEntry{Tag: testfs.ACLUser, Perm: 6, ID: 4322},
		testfs.ACLEntry{Tag: testfs.ACLGroupObj, Perm: 4}, testfs.ACLEntry{Tag: testfs.ACLMask, Perm: 6}, testfs.ACLEntry{Tag: testfs.ACLOther, Perm: 4})
	if err := unix.Lsetxattr(p, "system.posix_acl_access", acl, 0); err != nil {
		t.Skipf("no POSIX ACLs here: %v", err)
	}
	if where, why := Exposure(OS, p, pol); where != p || !strings.Contains(why, "has an ACL that lets others write") {
		t.Errorf("with u:4322:rw: %q %q, want %s refused", where, why, p)
	}
	// Write for a trusted user (u:0:rw-) is no reason (tester AK).
	copy(acl[4+8+4:], []byte{0, 0, 0, 0})
	if err := unix.Lsetxattr(p, "system.posix_acl_access", acl, 0); err != nil {
		t.Fatal(err)
	}
	if where, why := Exposure(OS, p, pol); where != "" {
		t.Errorf("with u:0:rw: %q %q, want no refusal", where, why)
	}
	copy(acl[4+8+4:], []byte{0xe2, 0x10, 0, 0}) // 4322 again
	// An ACL that lets no one else write (u:4322:r--) is no reason.
	acl[4+8+2] = 4
	if err := unix.Lsetxattr(p, "system.posix_acl_access", acl, 0); err != nil {
		t.Fatal(err)
	}
	if where, why := Exposure(OS, p, pol); where != "" {
		t.Errorf("with u:4322:r: %q %q, want no refusal", where, why)
	}
}

// A failingLooker fails the lstat of path with err.
type failingLooker struct {
	Looker
	path string
	err  error
}

func (l failingLooker) Lstat(name string) (fs.FileInfo, error) {
	if name == l.path {
		return nil, &fs.PathError{Op: "lstat", Path: name, Err: l.err}
	}
	return l.Looker.Lstat(name)
}

// rootTemp skips t unless it runs as root (it gives files to another
// uid), and returns a new folder and a helper that fails t on an error.
func rootTemp(t *testing.T) (string, func(error)) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to give files to another uid")
	}
	return t.TempDir(), func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestEntriesExposure (reviewer R23): a sticky folder others may write
// is no place a new name is safe from them, though what is there is.
func TestEntriesExposure(t *testing.T) {
	base := t.TempDir()
	p := Policy{Trusted: Trusting(os.Getuid())}
	for _, tc := range []struct {
		mode os.FileMode
		want string
	}{
		{0o755, ""},
		{0o700, ""},
		{os.ModeSticky | 0o755, ""},
		{os.ModeSticky | 0o777, "its sticky bit keeps them from replacing what is there, not from adding new names"},
		{0o777, "no sticky bit"},
	} {
		d := filepath.Join(base, tc.mode.String())
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d, tc.mode); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Lstat(d)
		if err != nil {
			t.Fatal(err)
		}
		got := EntriesExposure(d, fi, p)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%v: %q, want %q", tc.mode, got, tc.want)
		}
		if tc.mode&os.ModeSticky != 0 && partExposure(d, fi, p, true) != "" {
			t.Errorf("%v: a way through it is refused", tc.mode)
		}
	}
}
