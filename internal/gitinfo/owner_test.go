package gitinfo

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	gogit "github.com/go-git/go-git/v5"

	"github.com/gocfg/gocfg/internal/gittest"
	"github.com/gocfg/gocfg/internal/testfs"
)

// nobody is the uid the ownership tests give another user's files.
const nobody = 65534

// newRepo makes a repository with one commit in dir, with go-git.
func newRepo(t *testing.T, dir string) *gitRepo {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	repo, err := gogit.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	r := &gitRepo{dir: dir, repo: repo}
	r.write(t, "default.hcl", "x = 1\n")
	r.commitAll(t)
	return r
}

// chown gives path to uid: the folder itself, or (all) everything in it.
func chown(t *testing.T, path string, uid int, all bool) {
	t.Helper()
	if !all {
		if err := os.Lchown(path, uid, -1); err != nil {
			t.Fatal(err)
		}
		return
	}
	err := filepath.WalkDir(path, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, -1)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// An ownerCase lays out a work tree in base and returns the folder to
// describe and the commit Describe gives for it ("": "", false, nil).
type ownerCase struct {
	name      string
	root      bool // chowns files: root only
	goGitOnly bool // the git program answers otherwise: it follows a commondir, and checks the owner of a symbolic link .git, not of what it names
	make      func(t *testing.T, base string) (dir, commit string)
}

var ownerCases = []ownerCase{
	{name: "owned by the running user", make: func(t *testing.T, base string) (string, string) {
		r := newRepo(t, filepath.Join(base, "cfg"))
		return r.dir, r.head
	}},
	{name: "through a symbolic link to the work tree", make: func(t *testing.T, base string) (string, string) {
		r := newRepo(t, filepath.Join(base, "cfg"))
		link := filepath.Join(base, "link")
		if err := os.Symlink(r.dir, link); err != nil {
			t.Fatal(err)
		}
		return link, r.head
	}},
	{name: "a symbolic link .git to my repository", make: func(t *testing.T, base string) (string, string) {
		r := newRepo(t, filepath.Join(base, "repo"))
		dir := filepath.Join(base, "cfg")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(r.dir, ".git"), filepath.Join(dir, ".git")); err != nil {
			t.Fatal(err)
		}
		testfs.Write(t, filepath.Join(dir, "default.hcl"), "x = 1\n")
		return dir, r.head
	}},
	{name: "a subfolder owned by another user", root: true, make: func(t *testing.T, base string) (string, string) {
		r := newRepo(t, filepath.Join(base, "cfg"))
		testfs.Write(t, filepath.Join(r.dir, "sub", ".keep"), "")
		r.commitAll(t)
		chown(t, filepath.Join(r.dir, "sub"), nobody, true)
		return filepath.Join(r.dir, "sub"), r.head
	}},
	{name: "owned by another user", root: true, make: func(t *testing.T, base string) (string, string) {
		r := newRepo(t, filepath.Join(base, "cfg"))
		chown(t, r.dir, nobody, true)
		return r.dir, ""
	}},
	{name: "her .git in my folder", root: true, make: func(t *testing.T, base string) (string, string) {
		r := newRepo(t, filepath.Join(base, "cfg"))
		chown(t, filepath.Join(r.dir, ".git"), nobody, true)
		return r.dir, ""
	}},
	{name: "her .git above my folder", root: true, make: func(t *testing.T, base string) (string, string) {
		r := newRepo(t, filepath.Join(base, "shared"))
		chown(t, filepath.Join(r.dir, ".git"), nobody, true)
		dir := filepath.Join(r.dir, "cfg")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		return dir, ""
	}},
	{name: "my .git in her folder", root: true, make: func(t *testing.T, base string) (string, string) {
		r := newRepo(t, filepath.Join(base, "cfg"))
		chown(t, r.dir, nobody, false)
		return r.dir, ""
	}},
	{name: "her .git file naming my repository", root: true, make: func(t *testing.T, base string) (string, string) {
		priv := newRepo(t, filepath.Join(base, "priv"))
		dir := filepath.Join(base, "cfg")
		testfs.Write(t, filepath.Join(dir, ".git"), "gitdir: "+filepath.Join(priv.dir, ".git")+"\n")
		chown(t, filepath.Join(dir, ".git"), nobody, false)
		return dir, ""
	}},
	{name: "my .git file naming her repository", root: true, make: func(t *testing.T, base string) (string, string) {
		hers := newRepo(t, filepath.Join(base, "hers"))
		chown(t, hers.dir, nobody, true)
		dir := filepath.Join(base, "cfg")
		testfs.Write(t, filepath.Join(dir, ".git"), "gitdir: ../hers/.git\n")
		return dir, ""
	}},
	{name: "her .git with a commondir naming my repository", root: true, make: func(t *testing.T, base string) (string, string) {
		priv := newRepo(t, filepath.Join(base, "priv"))
		dir := filepath.Join(base, "cfg")
		testfs.Write(t, filepath.Join(dir, ".git", "HEAD"), "ref: refs/heads/master\n")
		testfs.Write(t, filepath.Join(dir, ".git", "commondir"), filepath.Join(priv.dir, ".git")+"\n")
		chown(t, filepath.Join(dir, ".git"), nobody, true)
		return dir, ""
	}},
	{name: "a symbolic link .git to her repository", root: true, goGitOnly: true, make: func(t *testing.T, base string) (string, string) {
		hers := newRepo(t, filepath.Join(base, "hers"))
		chown(t, hers.dir, nobody, true)
		dir := filepath.Join(base, "cfg")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(hers.dir, ".git"), filepath.Join(dir, ".git")); err != nil {
			t.Fatal(err)
		}
		return dir, ""
	}},
	{name: "a symbolic link .git to her .git file naming my repository", root: true, goGitOnly: true, make: func(t *testing.T, base string) (string, string) {
		priv := newRepo(t, filepath.Join(base, "priv"))
		hers := filepath.Join(base, "hers.git")
		testfs.Write(t, hers, "gitdir: "+filepath.Join(priv.dir, ".git")+"\n")
		chown(t, hers, nobody, false)
		dir := filepath.Join(base, "cfg")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(hers, filepath.Join(dir, ".git")); err != nil {
			t.Fatal(err)
		}
		return dir, ""
	}},
	// A commondir is not followed, even to a repository of mine.
	{name: "a commondir naming another repository", goGitOnly: true, make: func(t *testing.T, base string) (string, string) {
		other := newRepo(t, filepath.Join(base, "other"))
		dir := filepath.Join(base, "cfg")
		testfs.Write(t, filepath.Join(dir, ".git", "HEAD"), "ref: refs/heads/master\n")
		testfs.Write(t, filepath.Join(dir, ".git", "commondir"), filepath.Join(other.dir, ".git")+"\n")
		return dir, ""
	}},
	{name: "a linked work tree", goGitOnly: true, make: func(t *testing.T, base string) (string, string) {
		main := newRepo(t, filepath.Join(base, "main"))
		admin := filepath.Join(main.dir, ".git", "worktrees", "wt")
		dir := filepath.Join(base, "wt")
		testfs.Write(t, filepath.Join(admin, "HEAD"), main.head+"\n")
		testfs.Write(t, filepath.Join(admin, "commondir"), "../..\n")
		testfs.Write(t, filepath.Join(admin, "gitdir"), filepath.Join(dir, ".git")+"\n")
		testfs.Write(t, filepath.Join(dir, ".git"), "gitdir: "+admin+"\n")
		testfs.Write(t, filepath.Join(dir, "default.hcl"), "x = 1\n")
		return dir, ""
	}},
}

// TestDescribeOwner: as git refuses a repository another user owns
// (safe.directory), Describe without git gives no metadata for it, and
// follows no commondir; with git, the same answers where git agrees.
func TestDescribeOwner(t *testing.T) {
	for _, withGit := range []bool{false, true} {
		for _, c := range ownerCases {
			name := c.name
			if withGit {
				name = "git/" + name
			}
			t.Run(name, func(t *testing.T) {
				if c.root && os.Geteuid() != 0 {
					t.Skip("chown needs root")
				}
				if withGit && c.goGitOnly {
					t.Skip("git answers otherwise")
				}
				if withGit {
					gittest.Isolate(t)
				} else {
					gittest.IsolateGoGit(t)
				}
				dir, want := c.make(t, t.TempDir())
				if got, d, err := Describe(context.Background(), dir); got != want || d || err != nil {
					t.Errorf("Describe() = %q, %v, %v; want %q, false, nil", got, d, err, want)
				}
			})
		}
	}
}
