package gitinfo

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/gittest"
)

// git runs git in dir with a fixed identity and no user configuration.
func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

func TestDescribe(t *testing.T) {
	gittest.Isolate(t)
	ctx := context.Background()
	dir := t.TempDir()
	git(t, dir, "init", "-q")

	// No commit yet: a work tree, dirty once it has a file.
	if c, d, err := Describe(ctx, dir); c != "" || d || err != nil {
		t.Errorf("empty repository: Describe() = %q, %v, %v; want \"\", false, nil", c, d, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "default.hcl"), []byte("x = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if c, d, err := Describe(ctx, dir); c != "" || !d || err != nil {
		t.Errorf("no commit, a new file: Describe() = %q, %v, %v; want \"\", true, nil", c, d, err)
	}

	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "first")
	commit, dirty, err := Describe(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{40}([0-9a-f]{24})?$`).MatchString(commit) || dirty {
		t.Errorf("clean: Describe() = %q, %v; want a commit, false", commit, dirty)
	}

	// From a subfolder too.
	sub := filepath.Join(dir, "modules")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if c, d, err := Describe(ctx, sub); c != commit || d || err != nil {
		t.Errorf("subfolder: Describe() = %q, %v, %v", c, d, err)
	}

	// Ignored files do not count; untracked and modified ones do.
	if err := os.WriteFile(filepath.Join(dir, ".git", "info", "exclude"), []byte("*.log\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "x.log"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, d, _ := Describe(ctx, dir); d {
		t.Error("an ignored file made it dirty")
	}
	if err := os.WriteFile(filepath.Join(sub, "new.hcl"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if c, d, err := Describe(ctx, dir); c != commit || !d || err != nil {
		t.Errorf("untracked: Describe() = %q, %v, %v; want %q, true, nil", c, d, err, commit)
	}
	if err := os.Remove(filepath.Join(sub, "new.hcl")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "default.hcl"), []byte("x = 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if c, d, err := Describe(ctx, dir); c != commit || !d || err != nil {
		t.Errorf("modified: Describe() = %q, %v, %v; want %q, true, nil", c, d, err, commit)
	}
	if _, err := os.Stat(filepath.Join(dir, ".git", "index.lock")); !os.IsNotExist(err) {
		t.Errorf("index.lock left: %v", err)
	}
}

func TestDescribeNotARepository(t *testing.T) {
	gittest.Isolate(t)
	for name, dir := range map[string]string{
		"plain folder": t.TempDir(),
		"missing":      filepath.Join(t.TempDir(), "missing"),
	} {
		if c, d, err := Describe(context.Background(), dir); c != "" || d || err != nil {
			t.Errorf("%s: Describe() = %q, %v, %v; want \"\", false, nil", name, c, d, err)
		}
	}
}

func TestDescribeNoGit(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	if c, d, err := Describe(context.Background(), t.TempDir()); c != "" || d || err != nil {
		t.Errorf("Describe() = %q, %v, %v; want \"\", false, nil", c, d, err)
	}
}

func TestDescribeCanceled(t *testing.T) {
	gittest.Isolate(t)
	dir := t.TempDir()
	git(t, dir, "init", "-q")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := Describe(ctx, dir); err == nil {
		t.Error("Describe() with a canceled context succeeded")
	}
}

// TestDescribeWorktree: a linked work tree (its .git is a file naming the
// repository) and a detached HEAD give the commit checked out.
func TestDescribeWorktree(t *testing.T) {
	gittest.Isolate(t)
	ctx := context.Background()
	dir := t.TempDir()
	repo, wt := filepath.Join(dir, "repo"), filepath.Join(dir, "wt")
	if err := os.Mkdir(repo, 0o755); err != nil {
		t.Fatal(err)
	}
	git(t, repo, "init", "-q")
	if err := os.WriteFile(filepath.Join(repo, "default.hcl"), []byte("x = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git(t, repo, "add", ".")
	git(t, repo, "commit", "-q", "-m", "first")
	commit, _, err := Describe(ctx, repo)
	if err != nil || commit == "" {
		t.Fatalf("Describe(repo) = %q, %v", commit, err)
	}
	git(t, repo, "worktree", "add", "-q", "--detach", wt)
	if fi, err := os.Lstat(filepath.Join(wt, ".git")); err != nil || !fi.Mode().IsRegular() {
		t.Fatalf("the work tree's .git is not a file: %v", err)
	}
	if c, d, err := Describe(ctx, wt); c != commit || d || err != nil {
		t.Errorf("linked work tree: Describe() = %q, %v, %v; want %q, false, nil", c, d, err, commit)
	}
}

// TestDescribeNoRepositoryNoGit: without a .git entry in the folder or
// above it, git is not run (a fake git on PATH would say it was); with
// GIT_DIR set it is.
func TestDescribeNoRepositoryNoGit(t *testing.T) {
	bin := t.TempDir()
	ran := filepath.Join(t.TempDir(), "ran")
	script := "#!/bin/sh\necho \"$@\" >>" + ran + "\n"
	if err := os.WriteFile(filepath.Join(bin, "git"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	t.Setenv("GIT_DIR", "")
	t.Setenv("GIT_WORK_TREE", "")
	dir := t.TempDir()
	if mayBeInRepository(dir) {
		t.Skipf("%s or a folder above it has a .git entry", dir)
	}
	if c, d, err := Describe(context.Background(), dir); c != "" || d || err != nil {
		t.Errorf("Describe() = %q, %v, %v; want \"\", false, nil", c, d, err)
	}
	if _, err := os.Stat(ran); !os.IsNotExist(err) {
		t.Errorf("git ran for a folder outside any repository: %v", err)
	}
	t.Setenv("GIT_DIR", filepath.Join(dir, "elsewhere.git"))
	if _, _, err := Describe(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(ran); err != nil || !strings.Contains(string(b), "status --porcelain=v2") {
		t.Errorf("with GIT_DIR set, git ran with %q, %v; want one status", b, err)
	}
}
