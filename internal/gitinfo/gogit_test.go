package gitinfo

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	gogit "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/gocfg/gocfg/internal/gittest"
	"github.com/gocfg/gocfg/internal/testfs"
)

// A repoStep changes the work tree (with go-git, no git program) and
// says what Describe answers then; "HEAD" stands for the last commit.
type repoStep struct {
	name   string
	do     func(t *testing.T, r *gitRepo)
	commit string // "", or "HEAD"
	dirty  bool
	sub    string // Describe from this subfolder
}

// gitRepo is a repository made with go-git.
type gitRepo struct {
	dir  string
	repo *gogit.Repository
	head string
}

func (r *gitRepo) write(t *testing.T, rel, content string) {
	t.Helper()
	testfs.Write(t, filepath.Join(r.dir, rel), content)
}

func (r *gitRepo) commitAll(t *testing.T) {
	t.Helper()
	wt, err := r.repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	if err := wt.AddWithOptions(&gogit.AddOptions{All: true}); err != nil {
		t.Fatal(err)
	}
	sig := &object.Signature{Name: "Test", Email: "test@example.com", When: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	h, err := wt.Commit("a commit", &gogit.CommitOptions{Author: sig})
	if err != nil {
		t.Fatal(err)
	}
	r.head = h.String()
}

func (r *gitRepo) remove(t *testing.T, rel string) {
	t.Helper()
	if err := os.Remove(filepath.Join(r.dir, rel)); err != nil {
		t.Fatal(err)
	}
}

// gitSteps go from an empty repository through a commit to ignored,
// untracked and modified files.
var gitSteps = []repoStep{
	{name: "empty repository"},
	{name: "no commit, a new file", do: func(t *testing.T, r *gitRepo) { r.write(t, "default.hcl", "x = 1\n") }, dirty: true},
	{name: "committed", do: func(t *testing.T, r *gitRepo) { r.write(t, "modules/base.hcl", "y = 1\n"); r.commitAll(t) }, commit: "HEAD"},
	{name: "from a subfolder", commit: "HEAD", sub: "modules"},
	{name: "ignored by .git/info/exclude", do: func(t *testing.T, r *gitRepo) { r.write(t, ".git/info/exclude", "*.log\n"); r.write(t, "x.log", "") }, commit: "HEAD"},
	{name: "ignored by .gitignore", do: func(t *testing.T, r *gitRepo) {
		r.write(t, ".gitignore", "*.tmp\n")
		r.commitAll(t)
		r.write(t, "y.tmp", "")
	}, commit: "HEAD"},
	{name: "untracked", do: func(t *testing.T, r *gitRepo) { r.write(t, "modules/new.hcl", "") }, commit: "HEAD", dirty: true},
	{name: "clean again", do: func(t *testing.T, r *gitRepo) { r.remove(t, "modules/new.hcl") }, commit: "HEAD"},
	{name: "modified", do: func(t *testing.T, r *gitRepo) { r.write(t, "default.hcl", "x = 2\n") }, commit: "HEAD", dirty: true},
}

// runGitSteps makes a repository with go-git and checks describe at
// every step of gitSteps.
func runGitSteps(t *testing.T, describe func(context.Context, string) (string, bool, error)) {
	t.Helper()
	dir := t.TempDir()
	repo, err := gogit.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	r := &gitRepo{dir: dir, repo: repo}
	for _, s := range gitSteps {
		if s.do != nil {
			s.do(t, r)
		}
		want := ""
		if s.commit == "HEAD" {
			want = r.head
		}
		c, d, err := describe(context.Background(), filepath.Join(dir, s.sub))
		if c != want || d != s.dirty || err != nil {
			t.Errorf("%s: Describe() = %q, %v, %v; want %q, %v, nil", s.name, c, d, err, want, s.dirty)
		}
	}
}

// TestDescribeWithoutGit: with no git program on PATH, Describe reads
// the repository with go-git (a clone made by `init --apply` with
// go-git records its commit).
func TestDescribeWithoutGit(t *testing.T) {
	gittest.IsolateGoGit(t)
	runGitSteps(t, Describe)
}

// TestDescribeWithGitSameAnswers: the git program gives the answers the
// go-git fallback gives, on the same repositories.
func TestDescribeWithGitSameAnswers(t *testing.T) {
	gittest.Isolate(t)
	runGitSteps(t, Describe)
}

func TestDescribeWithoutGitNotARepository(t *testing.T) {
	gittest.IsolateGoGit(t)
	bare := t.TempDir()
	if _, err := gogit.PlainInit(bare, true); err != nil {
		t.Fatal(err)
	}
	for name, dir := range map[string]string{
		"plain folder":    t.TempDir(),
		"missing":         filepath.Join(t.TempDir(), "missing"),
		"bare repository": bare,
	} {
		if c, d, err := Describe(context.Background(), dir); c != "" || d || err != nil {
			t.Errorf("%s: Describe() = %q, %v, %v; want \"\", false, nil", name, c, d, err)
		}
	}
}

func TestDescribeWithoutGitCanceled(t *testing.T) {
	gittest.IsolateGoGit(t)
	dir := t.TempDir()
	if _, err := gogit.PlainInit(dir, false); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := Describe(ctx, dir); err == nil {
		t.Error("Describe() with a canceled context succeeded")
	}
}
