package deploy

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/gocfg/gocfg/internal/testfs"
)

// TestWayCheck runs wayCheck with the host's /bin/sh on real folders:
// the login user's deploy folder (here root's: the test runs as root,
// and uid 65534 is the other user) is refused when another user could
// change what root runs from it (tester AP: a ~/.cache linked to a
// folder she had made in /tmp let her put her program in place of
// gocfg).
func TestWayCheck(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("the other user's folders need root to make")
	}
	const other = 65534
	rel := remoteDir + "/gocfg-0123"
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, home, shared string)
		code  int
		why   string // in the error, with code 3
	}{
		{"fresh", func(*testing.T, string, string) {}, 1, ""},
		{"there", func(t *testing.T, home, _ string) { bin(t, home+"/"+rel, 0o755) }, 0, ""},
		{"cache in a folder of hers", func(t *testing.T, home, shared string) {
			testfs.Folder(t, shared+"/x-cache", other, other, 0o777)
			link(t, shared+"/x-cache", home+"/.cache")
		}, 3, "x-cache: it is owned by uid 65534"},
		{"her binary planted there", func(t *testing.T, home, shared string) {
			testfs.Folder(t, shared+"/x-cache/gocfg/deploy", other, other, 0o777)
			link(t, shared+"/x-cache", home+"/.cache")
			bin(t, shared+"/x-cache/gocfg/deploy/gocfg-0123", 0o755)
		}, 3, "it is owned by uid 65534"},
		{"cache of ours in a sticky folder", func(t *testing.T, home, shared string) {
			testfs.Folder(t, shared+"/x-cache", 0, 0, 0o700)
			link(t, shared+"/x-cache", home+"/.cache")
		}, 1, ""},
		{"deploy folder others may write, sticky", func(t *testing.T, home, _ string) {
			testfs.Folder(t, home+"/"+remoteDir, 0, 0, 0o777|os.ModeSticky)
		}, 3, "deploy: others may write it (mode drwxrwxrwt)"},
		{"a folder others may write on the way", func(t *testing.T, home, _ string) {
			testfs.Folder(t, home+"/.cache", 0, 0, 0o777)
		}, 3, ".cache: others may write it (mode drwxrwxrwx)"},
		{"a shared group may write", func(t *testing.T, home, _ string) {
			testfs.Folder(t, home+"/.cache", 0, 100, 0o775)
		}, 3, ".cache: others may write it (mode drwxrwxr-x)"},
		{"the login user's private group may write", func(t *testing.T, home, _ string) {
			testfs.Folder(t, home+"/.cache", 0, 0, 0o775) // root's group: root's alone here
		}, 1, ""},
		{"an ACL lets another user write", func(t *testing.T, home, _ string) {
			testfs.Folder(t, home+"/.cache", 0, 0, 0o755)
			// user::rwx user:65534:rwx group::r-x mask::rwx other::r-x
			acl := []byte{2, 0, 0, 0}
			for _, e := range []struct {
				tag, perm uint16
				id        uint32
			}{{0x01, 7, 0xffffffff}, {0x02, 7, 65534}, {0x04, 5, 0xffffffff}, {0x10, 7, 0xffffffff}, {0x20, 5, 0xffffffff}} {
				acl = append(acl, byte(e.tag), byte(e.tag>>8), byte(e.perm), byte(e.perm>>8),
					byte(e.id), byte(e.id>>8), byte(e.id>>16), byte(e.id>>24))
			}
			if err := unix.Lsetxattr(home+"/.cache", "system.posix_acl_access", acl, 0); err != nil {
				t.Skipf("no POSIX ACLs here: %v", err)
			}
		}, 3, ".cache: an ACL may let others write it"},
		{"binary of hers", func(t *testing.T, home, _ string) {
			bin(t, home+"/"+rel, 0o755)
			if err := os.Chown(home+"/"+rel, other, other); err != nil {
				t.Fatal(err)
			}
		}, 3, "gocfg-0123: it is owned by uid 65534"},
		{"binary others may write", func(t *testing.T, home, _ string) { bin(t, home+"/"+rel, 0o757) }, 3, "gocfg-0123: others may write it"},
		{"binary a link", func(t *testing.T, home, shared string) {
			bin(t, shared+"/gocfg", 0o755)
			testfs.Folder(t, home+"/"+remoteDir, 0, 0, 0o700)
			link(t, shared+"/gocfg", home+"/"+rel)
		}, 1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			top := t.TempDir()
			home := testfs.Folder(t, top+"/home", 0, 0, 0o700)
			shared := testfs.Folder(t, top+"/shared", 0, 0, 0o777|os.ModeSticky)
			tc.setup(t, home, shared)
			cmd := exec.Command("/bin/sh", "-c", wayCheck+Shell("gocfg_way", HomePath(rel)))
			cmd.Env = []string{"HOME=" + home, "PATH=/usr/bin:/bin"}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.code {
				t.Fatalf("exit status %d, want %d; stderr: %s", code, tc.code, stderr.String())
			}
			if tc.code == 3 && !strings.Contains(stderr.String(), tc.why) {
				t.Errorf("stderr %q, want it to say %q", stderr.String(), tc.why)
			}
			if tc.name == "fresh" {
				if fi, err := os.Stat(filepath.Join(home, remoteDir)); err != nil || fi.Mode().Perm() != 0o700 {
					t.Errorf("the deploy folder: %v, %v: want it made, 0700", fi, err)
				}
			}
		})
	}
}

func bin(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	testfs.WriteMode(t, path, "#!/bin/sh\n", mode)
}

func link(t *testing.T, target, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
}
