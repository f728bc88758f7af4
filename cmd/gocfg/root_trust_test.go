package main

import (
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestUntrustedTree: sudo gocfg deploy sends no source another user
// could change, a file of hers deep in a folder of root's included
// (reviewer R5); a tree of root's passes.
func TestUntrustedTree(t *testing.T) {
	env, base := rootTrustEnv(t)
	src := filepath.Join(base, "dots")
	if err := os.MkdirAll(filepath.Join(src, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"a", "sub/b"} {
		if err := os.WriteFile(filepath.Join(src, f), []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := untrustedTree(env, src, "a source:"); err != nil {
		t.Errorf("root's tree: %v", err)
	}
	if err := os.Chown(filepath.Join(src, "sub/b"), 4321, 4321); err != nil {
		t.Fatal(err)
	}
	if err := untrustedTree(env, src, "a source:"); err == nil || !strings.Contains(err.Error(), "sub/b is owned by uid 4321") {
		t.Errorf("a file of hers in root's tree: %v", err)
	}
	// An ordinary user's gocfg trusts her and root (tester AN): another
	// user's file is refused, hers is not.
	env.EUID = 1000
	if err := untrustedTree(env, src, "a source:"); err == nil || !strings.Contains(err.Error(), "sub/b is owned by uid 4321") {
		t.Errorf("another user's file, for an ordinary user: %v", err)
	}
	if err := os.Chown(filepath.Join(src, "sub/b"), 1000, 1000); err != nil {
		t.Fatal(err)
	}
	if err := untrustedTree(env, src, "a source:"); err != nil {
		t.Errorf("her own file, for an ordinary user: %v", err)
	}
}

// TestUntrustedTreeLinks (reviewer R6): links in the tree are followed
// as a host reads them, and the tree itself may be a link.
func TestUntrustedTreeLinks(t *testing.T) {
	env, base := rootTrustEnv(t)
	src := filepath.Join(base, "dots")
	if err := os.MkdirAll(filepath.Join(src, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	hers := filepath.Join(base, "hers")
	rootsDir := filepath.Join(base, "roots")
	for _, d := range []string{hers, rootsDir} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{filepath.Join(hers, "zshrc"), filepath.Join(rootsDir, "hers.conf"), filepath.Join(rootsDir, "ok.conf")} {
		if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{hers, filepath.Join(hers, "zshrc"), filepath.Join(rootsDir, "hers.conf")} {
		if err := os.Chown(f, 4321, 4321); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name, link, target, want string
	}{
		{"a link to her file", "sub/tozshrc", filepath.Join(hers, "zshrc"), "hers is owned by uid 4321"},
		{"a link to root's folder holding her file", "sub/toroots", rootsDir, "roots/hers.conf is owned by uid 4321"},
		{"a link to root's file", "sub/took", filepath.Join(rootsDir, "ok.conf"), ""},
		{"a link to nothing", "sub/dangling", filepath.Join(base, "none"), ""},
		{"a link to its own folder", "sub/loop", src, ""},
		// Never read; the way to it is checked (reviewer R7).
		{"a link to /dev/null", "sub/null", "/dev/null", ""},
	} {
		l := filepath.Join(src, tc.link)
		if err := os.Symlink(tc.target, l); err != nil {
			t.Fatal(err)
		}
		err := untrustedTree(env, src, "a source:")
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
		if err := os.Remove(l); err != nil {
			t.Fatal(err)
		}
	}
	top := filepath.Join(base, "toroots")
	if err := os.Symlink(rootsDir, top); err != nil {
		t.Fatal(err)
	}
	if err := untrustedTree(env, top, "a source:"); err == nil || !strings.Contains(err.Error(), "roots/hers.conf is owned by uid 4321") {
		t.Errorf("the tree named by a link: %v", err)
	}
}

// TestSudoUID: the user root's gocfg trusts besides root is the one sudo,
// pkexec or doas names, each in its own variable (doas by name); root,
// an unknown name, a uid of 0 or less, and variables that name
// different users name no one.
func TestSudoUID(t *testing.T) {
	nobody, err := user.Lookup("nobody")
	if err != nil {
		t.Skip("no nobody account:", err)
	}
	nobodyUID, err := strconv.Atoi(nobody.Uid)
	if err != nil || nobodyUID <= 0 {
		nobodyUID = -1 // macOS's is -2: no one to trust
	}
	for _, tc := range []struct {
		env  map[string]string
		want int
	}{
		{nil, -1},
		{map[string]string{"SUDO_UID": "1000"}, 1000},
		{map[string]string{"SUDO_UID": "0"}, -1},
		{map[string]string{"SUDO_UID": "x"}, -1},
		{map[string]string{"PKEXEC_UID": "1001"}, 1001},
		{map[string]string{"SUDO_UID": "1000", "PKEXEC_UID": "1000"}, 1000},
		{map[string]string{"SUDO_UID": "1000", "PKEXEC_UID": "1001"}, -1},
		{map[string]string{"DOAS_USER": "nobody"}, nobodyUID},
		{map[string]string{"DOAS_USER": "nobody", "SUDO_UID": "1000"}, -1},
		{map[string]string{"DOAS_USER": "root"}, -1},
		{map[string]string{"DOAS_USER": "no-such-user-gocfg"}, -1},
	} {
		env := testEnv(t)
		env.Getenv = func(k string) string { return tc.env[k] }
		if got := sudoUID(env); got != tc.want {
			t.Errorf("%v: sudoUID = %d, want %d", tc.env, got, tc.want)
		}
	}
}

// rootTrustEnv skips t unless it runs as root (it gives files to other
// uids), and returns the Env of root's gocfg, run without sudo, and a
// new folder.
func rootTrustEnv(t *testing.T) (*Env, string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to give files to another uid")
	}
	env := testEnv(t)
	env.EUID = 0
	env.Getenv = func(string) string { return "" }
	return env, t.TempDir()
}
