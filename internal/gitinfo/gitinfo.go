package gitinfo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
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
// git runs with GIT_OPTIONAL_LOCKS=0, so that status does not refresh
// the index of the user's repository.
func Describe(ctx context.Context, dir string) (commit string, dirty bool, err error) {
	git, err := exec.LookPath("git")
	if err != nil {
		return describeGoGit(ctx, dir) // gogit.go
	}
	out, stderr, err := run(ctx, git, dir, "rev-parse", "--verify", "--quiet", "HEAD")
	switch {
	case err == nil:
		commit = strings.TrimSpace(string(out))
	case notWorkTree(stderr):
		return "", false, nil
	case !isExit(err):
		return "", false, fmt.Errorf("%s: git rev-parse: %w", dir, err)
	}
	// A failed rev-parse --verify with no other message: no commit yet.
	out, stderr, err = run(ctx, git, dir, "status", "--porcelain", "--untracked-files=normal")
	switch {
	case err == nil:
		return commit, len(bytes.TrimSpace(out)) > 0, nil
	case notWorkTree(stderr):
		return "", false, nil
	case isExit(err):
		return "", false, fmt.Errorf("%s: git status: %s", dir, firstLine(stderr))
	default:
		return "", false, fmt.Errorf("%s: git status: %w", dir, err)
	}
}

// run runs git with args in dir and returns its standard output and
// error.
func run(ctx context.Context, git, dir string, args ...string) (stdout, stderr []byte, err error) {
	cmd := exec.CommandContext(ctx, git, append([]string{"-C", dir}, args...)...)
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
