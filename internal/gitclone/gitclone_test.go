package gitclone

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/gocfg/gocfg/internal/gittest"
	"github.com/gocfg/gocfg/internal/testfs"
)

// gitBin is the git program the tests prepare repositories with.
var gitBin string

func sh(t *testing.T, dir string, args ...string) {
	t.Helper()
	if args[0] == "git" {
		args[0] = gitBin
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
}

// TestClient: init, clone from a bare repository over file://, refuse a
// pull over local changes, pull a new commit; with the git program and
// with go-git.
func TestClient(t *testing.T) {
	gitBin = gittest.Isolate(t)
	for _, c := range []*Client{{Git: gitBin}, {}} {
		t.Run(c.Tool(), func(t *testing.T) {
			if c.Git == "" {
				// go-git alone: no git program to fall back on.
				t.Setenv("PATH", t.TempDir())
			}
			ctx := context.Background()
			tmp := t.TempDir()
			src := filepath.Join(tmp, "src")
			testfs.Write(t, filepath.Join(src, "default.hcl"), "# one\n")
			first, err := c.Init(ctx, src, "first", Author{Name: "T", Email: "t@example.org"}, time.Now())
			if err != nil || len(first) != 40 {
				t.Fatalf("Init: %q, %v", first, err)
			}
			if _, err := c.Init(ctx, src, "again", Author{Name: "T", Email: "t@example.org"}, time.Now()); err == nil {
				t.Error("Init over a repository: no error")
			}
			bare := filepath.Join(tmp, "bare.git")
			sh(t, tmp, "git", "clone", "--quiet", "--bare", src, bare)

			dst := filepath.Join(tmp, "dst")
			got, err := c.Clone(ctx, "file://"+bare, dst)
			if err != nil || got != first {
				t.Fatalf("Clone: %q, %v; want %q", got, err, first)
			}
			if got, err := c.Clone(ctx, src, filepath.Join(tmp, "fromtree")); err != nil || got != first {
				t.Errorf("Clone of a work tree's path: %q, %v; want %q", got, err, first)
			}
			if _, err := c.Clone(ctx, "file://"+bare, dst); err == nil {
				t.Error("Clone into a folder with files: no error")
			}
			if _, err := c.Clone(ctx, "file://"+filepath.Join(tmp, "nothing.git"), filepath.Join(tmp, "x")); err == nil {
				t.Error("Clone of a missing repository: no error")
			} else if exists(filepath.Join(tmp, "x")) {
				t.Error("a failed clone left its folder")
			}

			// A new commit upstream.
			testfs.Write(t, filepath.Join(src, "default.hcl"), "# two\n")
			sh(t, src, "git", "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "--quiet", "-am", "second")
			sh(t, src, "git", "push", "--quiet", bare, "HEAD")

			testfs.Write(t, filepath.Join(dst, "default.hcl"), "# mine\n")
			if _, _, err := c.Pull(ctx, dst); !errors.Is(err, ErrDirty) {
				t.Errorf("Pull over a local change: %v, want ErrDirty", err)
			}
			sh(t, dst, "git", "checkout", "--quiet", "--", "default.hcl")
			before, after, err := c.Pull(ctx, dst)
			if err != nil || before != first || after == first {
				t.Fatalf("Pull: %q → %q, %v", before, after, err)
			}
			if b, _ := os.ReadFile(filepath.Join(dst, "default.hcl")); string(b) != "# two\n" {
				t.Errorf("after the pull default.hcl = %q", b)
			}
			if d, err := c.Dirty(ctx, dst); d || err != nil {
				t.Errorf("Dirty after the pull = %v, %v", d, err)
			}
		})
	}
}

// TestConfigFilesFromSubfolder (reviewer R8): the repository's own
// .git/config is listed at its place when asked from a subfolder of the
// work tree, and Top finds the work tree's top (or a bare repository's
// folder), with the git program and with go-git.
func TestConfigFilesFromSubfolder(t *testing.T) {
	gitBin = gittest.Isolate(t)
	tmp := t.TempDir()
	repo := filepath.Join(tmp, "repo")
	testfs.Write(t, filepath.Join(repo, "gocfg", "default.hcl"), "# one\n")
	sh(t, repo, "git", "init", "--quiet")
	sh(t, repo, "git", "config", "core.gocfgtest", "yes")
	sub := filepath.Join(repo, "gocfg")
	bare := filepath.Join(tmp, "bare.git")
	sh(t, tmp, "git", "init", "--quiet", "--bare", bare)
	ctx := context.Background()

	files, err := (&Client{Git: gitBin}).ConfigFiles(ctx, sub, false)
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(repo, ".git", "config")
	found := false
	for _, f := range files {
		found = found || f == want
		if f == filepath.Join(sub, ".git", "config") {
			t.Errorf("ConfigFiles lists %s, which does not exist", f)
		}
	}
	if !found {
		t.Errorf("ConfigFiles(%s) = %v, want %s among them", sub, files, want)
	}
	// The global scope, and what it includes, is left out with
	// localOnly (an ordinary user's own choice for every repository).
	team := filepath.Join(tmp, "team.cfg")
	testfs.Write(t, team, "[core]\n\tgocfgteam = yes\n")
	testfs.Write(t, filepath.Join(os.Getenv("HOME"), ".gitconfig"), "[include]\n\tpath = "+team+"\n")
	for _, localOnly := range []bool{false, true} {
		files, err := (&Client{Git: gitBin}).ConfigFiles(ctx, sub, localOnly)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(files, team) == localOnly || !slices.Contains(files, want) {
			t.Errorf("ConfigFiles(localOnly %v) = %v", localOnly, files)
		}
	}
	for _, c := range []*Client{{Git: gitBin}, {}} {
		for dir, want := range map[string]string{sub: repo, repo: repo} {
			if got, err := c.Top(ctx, dir); err != nil || got != want {
				t.Errorf("%s: Top(%s) = %q, %v; want %q", c.Tool(), dir, got, err, want)
			}
		}
	}
	if got, err := (&Client{Git: gitBin}).Top(ctx, bare); err != nil || got != bare {
		t.Errorf("Top(%s) = %q, %v; want the bare repository", bare, got, err)
	}
	// Repository is Top only where git's folder is the top's own
	// (reviewer R9: a .git file and core.worktree pointed the check at a
	// clean repository while git used another).
	g := &Client{Git: gitBin}
	for _, dir := range []string{sub, repo, bare} {
		want, _ := g.Top(ctx, dir)
		if got, err := g.Repository(ctx, dir); err != nil || got != want {
			t.Errorf("Repository(%s) = %q, %v; want %q", dir, got, err, want)
		}
	}
	redirected := filepath.Join(tmp, "redirected")
	testfs.Write(t, filepath.Join(redirected, ".git"), "gitdir: "+bare+"\n")
	sh(t, bare, "git", "config", "core.bare", "false")
	sh(t, bare, "git", "config", "core.worktree", repo)
	if got, err := g.Repository(ctx, redirected); err == nil {
		t.Errorf("Repository(%s), its git folder elsewhere = %q, want an error", redirected, got)
	}
}

// TestWithScope: the output of a git without --show-scope is read as
// files of unknown scope, which localOnly keeps.
func TestWithScope(t *testing.T) {
	got := withScope("file:/etc/gitconfig\x00a.b\nc\x00file:.git/config\x00x.y\nz\x00")
	want := "unknown\x00file:/etc/gitconfig\x00a.b\nc\x00unknown\x00file:.git/config\x00x.y\nz\x00"
	if got != want {
		t.Errorf("withScope = %q, want %q", got, want)
	}
}
