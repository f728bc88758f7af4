package gitinfo

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/go-git/go-billy/v5/osfs"

	gogit "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/gocfg/gocfg/internal/filestat"
)

// describeGoGit is Describe without the git program, with go-git (a Mac
// without the command line tools, after `gocfg init --apply` cloned
// with go-git): the same answers, read from the repository holding dir
// (found upwards, as git does: see openGoGit). Untracked files count as
// changes, ignored ones (.gitignore, .git/info/exclude,
// core.excludesfile; see excludes) do not.
//
// go-git has no ownership check of its own: openGoGit makes git's
// safe.directory default one, so that a repository git would refuse
// gives "", false, nil here too, as Describe gives when git refuses it
// ("dubious ownership"). Tester BJ: her .git in root's 1777 folder put
// her commit in the meta.json of root's generation, and through its
// commondir the HEAD of root's private repository.
func describeGoGit(ctx context.Context, dir string) (commit string, dirty bool, err error) {
	if err := ctx.Err(); err != nil {
		return "", false, err
	}
	repo, ok := openGoGit(dir)
	if !ok {
		// Not in a repository, dir is missing, or a repository git
		// would refuse: no metadata.
		return "", false, nil
	}
	head, err := repo.Head()
	switch {
	case err == nil:
		commit = head.Hash().String()
	case errors.Is(err, plumbing.ErrReferenceNotFound):
		// No commit yet.
	default:
		return "", false, fmt.Errorf("%s: HEAD: %w", dir, err)
	}
	wt, err := repo.Worktree()
	if errors.Is(err, gogit.ErrIsBareRepository) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("%s: work tree: %w", dir, err)
	}
	wt.Excludes = append(wt.Excludes, excludes(repo)...)
	st, err := wt.Status()
	if err != nil {
		return "", false, fmt.Errorf("%s: status: %w", dir, err)
	}
	if err := ctx.Err(); err != nil {
		return "", false, err
	}
	return commit, !st.IsClean(), nil
}

// excludes are the ignore patterns git reads beside the .gitignore files,
// which go-git's Status does not: the repository's .git/info/exclude
// (go-git's work tree refuses paths into .git) and the user's
// core.excludesfile. A file that cannot be read adds none.
func excludes(repo *gogit.Repository) []gitignore.Pattern {
	ps, _ := gitignore.LoadGlobalPatterns(osfs.New("/"))
	st, ok := repo.Storer.(*filesystem.Storage)
	if !ok {
		return ps
	}
	f, err := st.Filesystem().Open("info/exclude")
	if err != nil {
		return ps
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); strings.TrimSpace(l) != "" && !strings.HasPrefix(l, "#") {
			ps = append(ps, gitignore.ParsePattern(l, nil))
		}
	}
	return ps
}

// openGoGit opens the repository of the work tree holding dir, found as
// git finds it: the nearest folder, from dir's real path upwards, with a
// .git entry (a repository's folder, or a file naming one: "gitdir:
// PATH"). It reports false, having read nothing in the repository, when
// there is none, or where git, by its safe.directory default, would
// refuse it: the work tree's top folder, the .git entry (and what it
// resolves to, if it is a symbolic link), or the repository folder a
// .git file names is not owned by the effective user (root: by root).
// git's safe.directory setting, and its allowance for root to use
// the repositories of the user sudo ran it for (SUDO_UID), are not read:
// such a repository gives no metadata here.
//
// A repository folder with a commondir file (that of a linked work
// tree: `git worktree add`) is refused too, rather than followed to the
// repository it names: a linked work tree gives no commit and no dirty
// state without the git program.
func openGoGit(dir string) (*gogit.Repository, bool) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, false
	}
	if abs, err = filepath.EvalSymlinks(abs); err != nil {
		return nil, false // missing: git cannot change to it either
	}
	top := abs
	for {
		_, err := os.Lstat(filepath.Join(top, gogit.GitDirName))
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return nil, false
		}
		if top == filepath.Dir(top) {
			return nil, false
		}
		top = filepath.Dir(top)
	}
	// Every path is checked as git checks it, with lstat on a real
	// path: the top folder (abs is real), the .git entry, what it
	// resolves to, and the repository folder a .git file names.
	dotGit := filepath.Join(top, gogit.GitDirName)
	realDotGit, err := filepath.EvalSymlinks(dotGit)
	if err != nil || !ownedByMe(top) || !ownedByMe(dotGit) || !ownedByMe(realDotGit) {
		return nil, false
	}
	fi, err := os.Stat(realDotGit)
	if err != nil {
		return nil, false
	}
	gitDir := realDotGit
	switch {
	case fi.IsDir():
	case fi.Mode().IsRegular():
		named, err := readGitFile(realDotGit)
		if err != nil {
			return nil, false
		}
		if !filepath.IsAbs(named) {
			named = filepath.Join(top, named)
		}
		if gitDir, err = filepath.EvalSymlinks(named); err != nil || !ownedByMe(gitDir) {
			return nil, false
		}
	default:
		return nil, false
	}
	if _, err := os.Lstat(filepath.Join(gitDir, "commondir")); !errors.Is(err, fs.ErrNotExist) {
		return nil, false // a linked work tree's, or unknown
	}
	s := filesystem.NewStorage(osfs.New(gitDir), cache.NewObjectLRUDefault())
	repo, err := gogit.Open(s, osfs.New(top))
	if err != nil {
		return nil, false
	}
	return repo, true
}

// ownedByMe reports whether path (not what it names, if it is a
// symbolic link) is owned by the effective user, as git's
// safe.directory default requires.
func ownedByMe(path string) bool {
	fi, err := os.Lstat(path)
	if err != nil {
		return false
	}
	uid, _ := filestat.Owner(fi)
	return uid == os.Geteuid()
}

// readGitFile returns the repository folder a .git file names
// ("gitdir: PATH", its first line), as go-git reads it.
func readGitFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 4096))
	if err != nil {
		return "", err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	gitDir, ok := strings.CutPrefix(line, "gitdir: ")
	if gitDir = strings.TrimSpace(gitDir); !ok || gitDir == "" {
		return "", fmt.Errorf("%s: no gitdir", path)
	}
	return gitDir, nil
}
