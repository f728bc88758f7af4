package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUntrustedTree: sudo gocfg deploy sends no source another user
// could change, a file of hers deep in a folder of root's included
// (reviewer R5); a tree of root's passes.
func TestUntrustedTree(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give files to another uid")
	}
	env := testEnv(t)
	env.EUID = 0
	env.Getenv = func(string) string { return "" }
	base := t.TempDir()
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
	env.EUID = 1000
	if err := untrustedTree(env, src, "a source:"); err != nil {
		t.Errorf("not root: %v", err)
	}
}

// TestSudoUID: the user root's gocfg trusts besides root is the one sudo,
// pkexec or doas names, each in its own variable (doas by name); root,
// an unknown name and a uid of 0 or less name no one.
func TestSudoUID(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want int
	}{
		{nil, -1},
		{map[string]string{"SUDO_UID": "1000"}, 1000},
		{map[string]string{"SUDO_UID": "0"}, -1},
		{map[string]string{"SUDO_UID": "x"}, -1},
		{map[string]string{"PKEXEC_UID": "1001"}, 1001},
		{map[string]string{"SUDO_UID": "1000", "PKEXEC_UID": "1001"}, 1000},
		{map[string]string{"DOAS_USER": "nobody"}, 65534},
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
