package gitinfo

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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
