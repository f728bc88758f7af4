package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeployControlRoot (tester AW): the SSH control folder is made only
// where no one else can change where a path leads, on a path short
// enough for a socket; $TMPDIR that another user could write, or owns
// (root's under sudo -E), is passed over, and with nothing left the
// deploy refuses.
func TestDeployControlRoot(t *testing.T) {
	short := func(mode os.FileMode) string {
		d, err := os.MkdirTemp("/tmp", "g")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(d) })
		if err := os.Chmod(d, mode); err != nil {
			t.Fatal(err)
		}
		return d
	}
	mine, open := short(0o700), short(0o777)
	theirs := short(0o700)
	if err := os.Chown(theirs, 65534, 65534); err != nil {
		t.Skipf("cannot give a folder to another user: %v", err)
	}
	long := t.TempDir() // /tmp/TestDeployControlRoot.../001: too long
	for _, tc := range []struct {
		name, runtime, tmp, os string
		want                   string // "" for an error
	}{
		{"runtime folder", mine, open, "linux", mine},
		{"TMPDIR", "", mine, "linux", mine},
		{"TMPDIR others write", "", open, "linux", "/tmp"},
		{"TMPDIR of another user", "", theirs, "linux", "/tmp"},
		{"runtime folder of another user", theirs, "", "linux", "/tmp"},
		{"TMPDIR too long", "", long, "linux", "/tmp"},
		{"relative", "run", "tmp", "linux", "/tmp"},
		{"none", "", open, "darwin", ""}, // no /private/tmp here
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := &Env{EUID: os.Geteuid(), OS: tc.os, Getenv: func(k string) string {
				return map[string]string{"XDG_RUNTIME_DIR": tc.runtime, "TMPDIR": tc.tmp}[k]
			}}
			got, err := deployControlRoot(env)
			switch {
			case tc.want == "" && err == nil:
				t.Errorf("got %s, want an error", got)
			case tc.want == "" && !strings.Contains(err.Error(), "$TMPDIR="+open+" (another user can write it or a folder on the way to it, or it is not yours); /private/tmp (does not exist)"):
				t.Errorf("error %v does not say why %s was passed over", err, open)
			case tc.want != "" && (err != nil || got != tc.want):
				t.Errorf("got %q, %v; want %s", got, err, tc.want)
			}
		})
	}
}

// TestDeployControlRootResolvedLength: a path too long as its links
// resolve is named as they resolve, with that length: the one given may
// look short enough (/tmp/501 on macOS is /private/tmp/501).
func TestDeployControlRootResolvedLength(t *testing.T) {
	long := t.TempDir()
	link := filepath.Join("/tmp", fmt.Sprintf("gl%d", os.Getpid()))
	if err := os.Symlink(long, link); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(link) })
	env := &Env{EUID: os.Geteuid(), OS: "darwin", Getenv: func(k string) string {
		return map[string]string{"TMPDIR": link}[k]
	}}
	_, err := deployControlRoot(env)
	want := fmt.Sprintf("$TMPDIR=%s (%s as links resolve: a path of %d characters; at most 17 fit)", link, long, len(long))
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want %q", err, want)
	}
}

// TestControlRootHint: the hint's folder fits the socket's path as links
// resolve; on macOS a uid of 5 digits or more makes /tmp/UID too long.
func TestControlRootHint(t *testing.T) {
	for _, tc := range []struct {
		tmp, want  string
		euid, most int
	}{
		{"/tmp", "mkdir -m 700 /tmp/$(id -u) && TMPDIR=/tmp/$(id -u)", 1000, 21},
		{"/private/tmp", "mkdir -m 700 /tmp/$(id -u)", 501, 17},
		{"/private/tmp", "mkdir -m 700 /tmp/$(id -u)", 1234, 17},
		{"/private/tmp", "TMPDIR=$(mktemp -d /tmp/gXXX)", 123456, 17},
	} {
		if got := controlRootHint(tc.tmp, tc.euid, tc.most); !strings.Contains(got, tc.want) || !strings.Contains(got, fmt.Sprint(tc.most)) {
			t.Errorf("controlRootHint(%s, %d, %d) = %q, want %q and the length", tc.tmp, tc.euid, tc.most, got, tc.want)
		}
	}
	// "/private/tmp/gXXX" is 17 characters.
	if n := len("/private/tmp/gXXX"); n > maxSocketPath("darwin")-controlSocketRoom {
		t.Errorf("the mktemp folder is %d characters, too long on macOS", n)
	}
}
