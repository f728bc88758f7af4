package gitinfo

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-billy/v5/osfs"

	gogit "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// describeGoGit is Describe without the git program, with go-git (a Mac
// without the command line tools, after `gocfg init --apply` cloned
// with go-git): the same answers, read from the repository holding dir
// (found upwards, as git does). Untracked files count as changes,
// ignored ones (.gitignore, .git/info/exclude, core.excludesfile; see
// excludes) do not. go-git does not check the repository's owner as git's
// safe.directory does: it only reads.
func describeGoGit(ctx context.Context, dir string) (commit string, dirty bool, err error) {
	if err := ctx.Err(); err != nil {
		return "", false, err
	}
	repo, err := gogit.PlainOpenWithOptions(dir, &gogit.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if err != nil {
		// Not in a repository, or dir is missing: no metadata.
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
