package gittest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestIsolate(t *testing.T) {
	git := Isolate(t)
	home := os.Getenv("HOME")
	if os.Getenv("XDG_CONFIG_HOME") != filepath.Join(home, ".config") || os.Getenv("GIT_CONFIG_NOSYSTEM") != "1" {
		t.Errorf("environment: HOME=%q XDG_CONFIG_HOME=%q GIT_CONFIG_NOSYSTEM=%q", home, os.Getenv("XDG_CONFIG_HOME"), os.Getenv("GIT_CONFIG_NOSYSTEM"))
	}
	// A folder below the ceiling is no repository, whatever lies above.
	dir := filepath.Join(home, "work")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(git, "-C", dir, "rev-parse", "--git-dir").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "not a git repository") {
		t.Errorf("git rev-parse in %s: %v, %s; want not a repository", dir, err, out)
	}
}

func TestIsolateGoGit(t *testing.T) {
	IsolateGoGit(t)
	if _, err := exec.LookPath("git"); err == nil {
		t.Error("git is on PATH")
	}
}
