package gitinfo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

// Describe returns the commit checked out in the git work tree holding
// dir, and whether the work tree has uncommitted changes (untracked files
// count, ignored files do not). When dir is not in a git work tree, or
// git refuses to look at it (a repository owned by another user, see
// git's safe.directory), it returns "", false, nil: the metadata is
// optional. A work tree without commits gives "" and its dirty state.
// When git is not installed it reads the repository with go-git instead
// (see describeGoGit).
//
// git runs once (status --porcelain=v2 --branch: the commit and the
// changes), and not at all when neither dir nor a folder above it has a
// .git entry and GIT_DIR and GIT_WORK_TREE are unset: git would find no
// repository (a dotfiles folder outside git, or a deploy bundle). It
// runs with GIT_OPTIONAL_LOCKS=0, so that status does not refresh the
// index of the user's repository.
func Describe(ctx context.Context, dir string) (commit string, dirty bool, err error) {
	if !mayBeInRepository(dir) {
		if err := ctx.Err(); err != nil {
			return "", false, fmt.Errorf("%s: %w", dir, err)
		}
		return "", false, nil
	}
	git, err := exec.LookPath("git")
	if err != nil {
		return describeGoGit(ctx, dir) // gogit.go
	}
	out, stderr, err := run(ctx, git, dir, "status", "--porcelain=v2", "--branch", "--untracked-files=normal")
	switch {
	case err == nil:
	case notWorkTree(stderr):
		return "", false, nil
	case isExit(err):
		return "", false, fmt.Errorf("%s: git status: %s", dir, firstLine(stderr))
	default:
		return "", false, fmt.Errorf("%s: git status: %w", dir, err)
	}
	for l := range strings.Lines(string(out)) {
		l = strings.TrimRight(l, "\n")
		switch {
		case strings.HasPrefix(l, "# branch.oid "):
			if oid := strings.TrimPrefix(l, "# branch.oid "); oid != "(initial)" {
				commit = oid // "(initial)": no commit yet
			}
		case strings.HasPrefix(l, "#"), l == "":
		default:
			dirty = true
		}
	}
	return commit, dirty, nil
}

// mayBeInRepository reports whether git could find a repository for dir:
// GIT_DIR or GIT_WORK_TREE is set, or dir or a folder above it has a
// .git entry (a repository's folder, or a file naming it: a worktree, a
// submodule). Only such an entry lets git find one when discovering it
// upwards (a bare repository found so has no work tree: Describe
// answers "", false for it either way).
func mayBeInRepository(dir string) bool {
	if os.Getenv("GIT_DIR") != "" || os.Getenv("GIT_WORK_TREE") != "" {
		return true
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return true
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil || !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return true // there, or unknown: git decides
		}
		if d == filepath.Dir(d) {
			return false
		}
	}
}

// NoPrograms are the options of every git run of gocfg's: no program
// the repository's configuration names runs (fsmonitor, which git
// status runs; hooks). Tester AK: an include of hers set core.fsmonitor,
// and root's switch and doctor ran it through git status.
var NoPrograms = []string{"-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null"}

// run runs git with args in dir and returns its standard output and
// error.
func run(ctx context.Context, git, dir string, args ...string) (stdout, stderr []byte, err error) {
	cmd := exec.CommandContext(ctx, git, append(append([]string{"-C", dir}, NoPrograms...), args...)...)
	cmd.Env = append(os.Environ(), "LC_ALL=C", "GIT_OPTIONAL_LOCKS=0")
	var out, errb bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &errb
	err = cmd.Run()
	if ctx.Err() != nil {
		err = ctx.Err()
	}
	return out.Bytes(), errb.Bytes(), err
}

// notWorkTree reports whether git's error output says the folder is not
// a work tree it will look at.
func notWorkTree(stderr []byte) bool {
	s := string(stderr)
	return strings.Contains(s, "not a git repository") ||
		strings.Contains(s, "dubious ownership") ||
		strings.Contains(s, "must be run in a work tree") ||
		strings.Contains(s, "cannot change to")
}

// isExit reports whether err is git's non-zero exit, rather than a
// failure to run it.
func isExit(err error) bool {
	var ee *exec.ExitError
	return errors.As(err, &ee)
}

// firstLine returns the first non-empty line of git's error output.
func firstLine(stderr []byte) string {
	for l := range strings.Lines(string(stderr)) {
		if l = strings.TrimSpace(l); l != "" {
			return strings.TrimPrefix(l, "fatal: ")
		}
	}
	return "failed"
}
