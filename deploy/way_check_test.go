package deploy

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
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
		{"a link of hers on the way to a folder of ours", func(t *testing.T, home, shared string) {
			// Reviewer R11: the check passes, but what it passes is the
			// folder it found (printed), not the way through her link.
			testfs.Folder(t, home+"/.local", 0, 0, 0o700)
			link(t, home+"/.local", shared+"/her-link")
			if err := os.Lchown(shared+"/her-link", other, other); err != nil {
				t.Fatal(err)
			}
			link(t, shared+"/her-link", home+"/.cache")
		}, 1, ""},
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
			acl := testfs.ACLBytes(testfs.ACLEntry{Tag: testfs.ACLUserObj, Perm: 7}, testfs.ACLEntry{Tag: testfs.ACLUser, Perm: 7, ID: 65534},
				testfs.ACLEntry{Tag: testfs.ACLGroupObj, Perm: 5}, testfs.ACLEntry{Tag: testfs.ACLMask, Perm: 7}, testfs.ACLEntry{Tag: testfs.ACLOther, Perm: 5})
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
			code, stdout, stderr := runWay(t, "/bin/sh", home, rel)
			if code != tc.code {
				t.Fatalf("exit status %d, want %d; stderr: %s", code, tc.code, stderr.String())
			}
			if tc.code == 3 && !strings.Contains(stderr.String(), tc.why) {
				t.Errorf("stderr %q, want it to say %q", stderr.String(), tc.why)
			}
			if tc.code != 3 {
				// The folder checked, with no link on its way: later
				// commands name it so.
				want, err := filepath.EvalSymlinks(filepath.Join(home, remoteDir))
				if err != nil {
					t.Fatal(err)
				}
				if got, ok := wayFolder(stdout.String(), testToken); !ok || got != want {
					t.Errorf("printed folder %q (%v), want %q; stdout %q", got, ok, want, stdout.String())
				}
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

// TestWayCheckPrivateGroup: run as a throwaway account with a private
// group (umask 002), a folder her group may write counts as hers, unless
// the local files let another in: another group of the same gid
// (reviewer R11: getent gave the first line only, hers), or another
// member.
func TestWayCheckPrivateGroup(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to make an account")
	}
	for _, tool := range []string{"useradd", "groupadd", "setpriv"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skip("no " + tool)
		}
	}
	name := "rtw" + strconv.Itoa(os.Getpid()%100000)
	if out, err := exec.Command("useradd", "-M", "-U", name).CombinedOutput(); err != nil {
		t.Fatalf("useradd: %v: %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("userdel", name).Run() })
	u, err := user.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	home, err := os.MkdirTemp("", "gocfg-way-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(home) })
	testfs.Folder(t, home, uid, gid, 0o755)
	testfs.Folder(t, home+"/.cache", uid, gid, 0o775)
	check := func() int {
		t.Helper()
		command, script := wayRun(HomePath(remoteDir+"/gocfg-0123"), testToken)
		cmd := exec.Command("setpriv", "--reuid="+u.Uid, "--regid="+u.Gid, "--init-groups", "--", "/bin/sh", "-c", command)
		cmd.Env = []string{"HOME=" + home, "PATH=/usr/bin:/bin"}
		cmd.Stdin = strings.NewReader(script)
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		} else if err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		return 0
	}
	if code := check(); code != 1 {
		t.Fatalf("her private group may write: exit status %d, want 1 (no binary yet)", code)
	}
	if out, err := exec.Command("groupadd", "-o", "-g", u.Gid, name+"x").CombinedOutput(); err != nil {
		t.Fatalf("groupadd: %v: %s", err, out)
	}
	// After the account (groupdel refuses a group that is an account's
	// primary one, by gid): cleanups run last added first.
	t.Cleanup(func() {
		_ = exec.Command("userdel", name).Run()
		_ = exec.Command("groupdel", name+"x").Run()
	})
	if code := check(); code != 3 {
		t.Errorf("another group of her gid: exit status %d, want 3", code)
	}
}

// runWay runs the way check as deploy does (wayRun), with the login
// shell shell, HOME home, for the binary rel below it, after something
// printed without a newline; it returns the exit status and what it
// printed.
func runWay(t *testing.T, shell, home, rel string) (code int, stdout, stderr bytes.Buffer) {
	t.Helper()
	command, script := wayRun(HomePath(rel), testToken)
	// After what an rc file printed without a newline (the e2e deploy
	// with a zsh login found the folder line glued to it).
	cmd := exec.Command(shell, "-c", "printf 'from an rc file'; "+command)
	cmd.Env = []string{"HOME=" + home, "PATH=/usr/bin:/bin"}
	cmd.Stdin = strings.NewReader(script)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), stdout, stderr
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, stdout, stderr
}

// TestWayCheckLoginShells: the check is the same whatever the login
// user's shell (tester AQ: fish, which exits 0 on a parse error, let
// every check pass; zsh, which does not split words as sh does, refused
// every deploy). Each shell installed here runs it (CI installs zsh and
// fish).
func TestWayCheckLoginShells(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("the other user's folders need root to make")
	}
	rel := remoteDir + "/gocfg-0123"
	for _, shell := range []string{"/bin/sh", "/bin/bash", "/usr/bin/zsh", "/usr/bin/fish", "/bin/tcsh"} {
		t.Run(filepath.Base(shell), func(t *testing.T) {
			if _, err := os.Stat(shell); err != nil {
				t.Skip("not installed")
			}
			top := t.TempDir()
			home := testfs.Folder(t, top+"/home", 0, 0, 0o700)
			if code, stdout, stderr := runWay(t, shell, home, rel); code != 1 || !strings.Contains(stdout.String(), wayFolderPrefix+testToken+":"+home+"/"+remoteDir) {
				t.Errorf("fresh: exit status %d, stdout %q, stderr %q: want 1 and the folder", code, stdout.String(), stderr.String())
			}
			bin(t, home+"/"+rel, 0o755)
			if code, _, stderr := runWay(t, shell, home, rel); code != 0 {
				t.Errorf("with the binary: exit status %d, stderr %q: want 0", code, stderr.String())
			}
			testfs.Folder(t, home+"/.cache", 65534, 65534, 0o755)
			if code, _, stderr := runWay(t, shell, home, rel); code != 3 || !strings.Contains(stderr.String(), ".cache: it is owned by uid 65534") {
				t.Errorf("another user's folder: exit status %d, stderr %q: want 3", code, stderr.String())
			}
		})
	}
}

// testToken is the way check's token in these tests.
const testToken = "0123456789abcdef"

// TestWayCheckEatenScript: when something of the login user's (an rc
// file) reads the start of the script before /bin/sh does, no folder
// line with the token comes out, and the deploy stops (reviewer R12:
// with its checks undefined, the rest of the script still printed the
// folder of a home others could write, and exited 1: upload).
func TestWayCheckEatenScript(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("the folders need root to make")
	}
	top := t.TempDir()
	home := testfs.Folder(t, top+"/home", 0, 0, 0o777) // refused, when checked
	command, script := wayRun(HomePath(remoteDir+"/gocfg-0123"), testToken)
	for _, cut := range []int{1, len(script) / 3, len(script) / 2, len(script) - 40} {
		cmd := exec.Command("/bin/sh", "-c", command)
		cmd.Env = []string{"HOME=" + home, "PATH=/usr/bin:/bin"}
		cmd.Stdin = strings.NewReader(script[cut:])
		out, _ := cmd.Output()
		if dir, ok := wayFolder(string(out), testToken); ok {
			t.Errorf("the script without its first %d bytes: folder %q taken", cut, dir)
		}
	}
	// A piece taken from its middle (something of the login user's
	// reading standard input beside /bin/sh: reviewer R13, 126 of 3000
	// such cuts printed the folder). 200 cuts, of 1 to 200 bytes,
	// spread over the script.
	taken := 0
	for i := range 200 {
		at, n := 1+i*(len(script)-2)/200, 1+(i*37)%200
		cut := script[:at] + script[min(at+n, len(script)):]
		cmd := exec.Command("/bin/sh", "-c", command)
		cmd.Env = []string{"HOME=" + home, "PATH=/usr/bin:/bin"}
		cmd.Stdin = strings.NewReader(cut)
		out, _ := cmd.Output()
		if _, ok := wayFolder(string(out), testToken); ok {
			taken++
		}
	}
	if taken > 0 {
		t.Errorf("%d of 200 scripts with a piece cut from them printed a folder line", taken)
	}
	if !isASCII(wayCheck) {
		t.Error("wayCheck is not ASCII: its length in characters may not be its length in bytes")
	}
	if dir, ok := wayFolder(wayFolderPrefix+":"+home+"\n", testToken); ok {
		t.Errorf("a line without the token: folder %q taken", dir)
	}
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
