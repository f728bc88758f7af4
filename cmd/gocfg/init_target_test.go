package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestMakeFoldersFollowsNoLink (tester BJ): a folder made on the way
// to init's target is never made through a link someone put there
// since the way was looked at; one that exists is gone into, and the
// look at the whole way after refuses it when it is not root's.
func TestMakeFoldersFollowsNoLink(t *testing.T) {
	base := t.TempDir()
	victim := filepath.Join(base, "victim")
	if err := os.Mkdir(victim, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, filepath.Join(base, "hers")); err != nil {
		t.Fatal(err)
	}
	// Innermost first, as configTarget collects them.
	if err := makeFolders(base, []string{"cfg", "hers"}); err == nil {
		t.Error("makeFolders went through a link")
	}
	if _, err := os.Lstat(filepath.Join(victim, "cfg")); err == nil {
		t.Error("a folder was made through the link, in the folder it points at")
	}
	if err := makeFolders(base, []string{"cfg", "sub", "new"}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(filepath.Join(base, "new", "sub", "cfg")); err != nil || !fi.IsDir() {
		t.Errorf("new/sub/cfg: %v", err)
	}
	// A folder already there (made meanwhile) is gone into.
	if err := makeFolders(base, []string{"more", "new"}); err != nil {
		t.Errorf("into an existing folder: %v", err)
	}
}
