package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/internal/gitinfo"
)

// A repoState is what git says of the configuration folder, without
// asking the network.
type repoState struct {
	// NoGit: git is not installed. Repo: the folder is in a work tree
	// git will look at.
	NoGit, Repo bool
	// Commit is HEAD ("" before the first commit); Branch its branch
	// ("" when detached).
	Commit, Branch string
	// Upstream is the branch's upstream ("" when none); Ahead and Behind
	// count the commits between them as last fetched.
	Upstream      string
	Ahead, Behind int
	// Dirty: uncommitted changes (untracked files count, ignored do not).
	Dirty bool
}

// gitStatus reads the git state of dir with `git status --porcelain=v2
// --branch`, which reads only the repository (GIT_OPTIONAL_LOCKS=0: it
// does not refresh the index either). Like internal/gitinfo it runs git
// on the host: the dotfiles folder is not the machine gocfg manages.
func gitStatus(ctx context.Context, dir string) (repoState, error) {
	git, err := exec.LookPath("git")
	if err != nil {
		return repoState{NoGit: true}, nil
	}
	cmd := exec.CommandContext(ctx, git, append(append([]string{"-C", dir}, gitinfo.NoPrograms...), "status", "--porcelain=v2", "--branch", "--untracked-files=normal")...)
	cmd.Env = append(os.Environ(), "LC_ALL=C", "GIT_OPTIONAL_LOCKS=0")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if s := errb.String(); errors.As(err, &ee) && (strings.Contains(s, "not a git repository") || strings.Contains(s, "dubious ownership")) {
			return repoState{}, nil
		}
		return repoState{}, fmt.Errorf("%s: git status: %v: %s", dir, err, strings.TrimSpace(errb.String()))
	}
	return parseGitStatus(out.String()), nil
}

// parseGitStatus reads the output of `git status --porcelain=v2 --branch`.
func parseGitStatus(out string) repoState {
	st := repoState{Repo: true}
	for l := range strings.Lines(out) {
		l = strings.TrimRight(l, "\n")
		if l == "" {
			continue
		}
		h, ok := strings.CutPrefix(l, "# ")
		if !ok {
			st.Dirty = true
			continue
		}
		key, val, _ := strings.Cut(h, " ")
		switch key {
		case "branch.oid":
			if val != "(initial)" {
				st.Commit = val
			}
		case "branch.head":
			if val != "(detached)" {
				st.Branch = val
			}
		case "branch.upstream":
			st.Upstream = val
		case "branch.ab":
			a, b, _ := strings.Cut(val, " ")
			st.Ahead, _ = strconv.Atoi(strings.TrimPrefix(a, "+"))
			st.Behind, _ = strconv.Atoi(strings.TrimPrefix(b, "-"))
		}
	}
	return st
}
