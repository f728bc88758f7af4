package gittest

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// Isolate gives the test an empty home (HOME, XDG_CONFIG_HOME), no system
// configuration, and stops git's search for a repository at the folder
// above that home. It returns the git program, and skips the test where
// git is not installed.
func Isolate(t testing.TB) string {
	t.Helper()
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not installed")
	}
	home := emptyHome(t)
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(home))
	return git
}

// IsolateGoGit gives the test an empty home and no system configuration,
// as Isolate does, and a PATH without the git program, for what go-git
// alone does.
func IsolateGoGit(t testing.TB) {
	t.Helper()
	emptyHome(t)
	t.Setenv("PATH", t.TempDir())
	if _, err := exec.LookPath("git"); err == nil {
		t.Fatal("git is still on PATH")
	}
}

func emptyHome(t testing.TB) string {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	return home
}
