package gitclone

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/plumbing/transport/client"
	"github.com/go-git/go-git/v5/plumbing/transport/server"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/gocfg/gocfg/internal/gitinfo"
)

// A Client clones, pulls and creates repositories.
type Client struct {
	// Git is the git program; "" uses go-git instead.
	Git string
	// Env is added to git's environment (tests: GIT_CONFIG_NOSYSTEM, ...).
	Env []string
}

// New returns a Client that runs git when it is on PATH, else go-git.
func New() *Client {
	g, err := exec.LookPath("git")
	if err != nil {
		g = ""
	}
	return &Client{Git: g}
}

// Tool names what the client uses, for messages: "git" or "go-git".
func (c *Client) Tool() string {
	if c.Git == "" {
		return "go-git"
	}
	return "git"
}

// ErrDirty is returned by Pull when the work tree has uncommitted changes.
var ErrDirty = errors.New("the work tree has uncommitted changes")

// Clone clones url into dir, which must not exist or be an empty folder,
// and returns the commit checked out. A clone that fails leaves no dir
// behind.
func (c *Client) Clone(ctx context.Context, url, dir string) (string, error) {
	if err := emptyOrMissing(dir); err != nil {
		return "", err
	}
	existed := exists(dir)
	var err error
	if c.Git != "" {
		// --no-local: a local source is copied, never hard-linked, so
		// that the clone holds no inode of the source's owner (tester
		// AJ: root's clone of a sudo user's folder kept her objects).
		_, err = c.run(ctx, "", "clone", "--quiet", "--no-local", "--", url, dir)
	} else {
		serveLocal()
		_, err = git.PlainCloneContext(ctx, dir, false, &git.CloneOptions{URL: url})
		if err != nil {
			err = fmt.Errorf("clone %s: %w", url, err)
		}
	}
	if err != nil {
		if existed {
			clearDir(dir)
		} else {
			_ = os.RemoveAll(dir)
		}
		return "", err
	}
	return c.Head(ctx, dir)
}

// Head returns the commit checked out in dir.
func (c *Client) Head(ctx context.Context, dir string) (string, error) {
	if c.Git != "" {
		out, err := c.run(ctx, dir, "rev-parse", "--verify", "HEAD")
		return strings.TrimSpace(out), err
	}
	r, err := git.PlainOpen(dir)
	if err != nil {
		return "", fmt.Errorf("%s: %w", dir, err)
	}
	h, err := r.Head()
	if err != nil {
		return "", fmt.Errorf("%s: %w", dir, err)
	}
	return h.Hash().String(), nil
}

// Dirty reports whether the work tree in dir has uncommitted changes:
// modified, staged or untracked files (ignored files do not count).
func (c *Client) Dirty(ctx context.Context, dir string) (bool, error) {
	if c.Git != "" {
		out, err := c.run(ctx, dir, "status", "--porcelain", "--untracked-files=normal")
		return strings.TrimSpace(out) != "", err
	}
	r, err := git.PlainOpen(dir)
	if err != nil {
		return false, fmt.Errorf("%s: %w", dir, err)
	}
	w, err := r.Worktree()
	if err != nil {
		return false, fmt.Errorf("%s: %w", dir, err)
	}
	st, err := w.Status()
	if err != nil {
		return false, fmt.Errorf("%s: git status: %w", dir, err)
	}
	return !st.IsClean(), nil
}

// Pull fast-forwards the branch checked out in dir to its upstream and
// returns the commits before and after. It refuses (ErrDirty) when the
// work tree has uncommitted changes, and fails when the branches have
// diverged: it never merges.
func (c *Client) Pull(ctx context.Context, dir string) (before, after string, err error) {
	dirty, err := c.Dirty(ctx, dir)
	if err != nil {
		return "", "", err
	}
	if dirty {
		return "", "", fmt.Errorf("%s: %w", dir, ErrDirty)
	}
	if before, err = c.Head(ctx, dir); err != nil {
		return "", "", err
	}
	if c.Git != "" {
		if _, err := c.run(ctx, dir, "pull", "--ff-only", "--quiet"); err != nil {
			return before, "", err
		}
	} else {
		r, err := git.PlainOpen(dir)
		if err != nil {
			return before, "", fmt.Errorf("%s: %w", dir, err)
		}
		w, err := r.Worktree()
		if err != nil {
			return before, "", fmt.Errorf("%s: %w", dir, err)
		}
		serveLocal()
		if err := w.PullContext(ctx, &git.PullOptions{RemoteName: "origin"}); err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
			return before, "", fmt.Errorf("%s: git pull: %w", dir, err)
		}
	}
	after, err = c.Head(ctx, dir)
	return before, after, err
}

// RemoteURLs lists the URLs of the remotes of the repository in dir
// (read from its configuration, whichever of git and go-git pulls), for
// a caller that checks where a pull would come from.
func (c *Client) RemoteURLs(dir string) ([]string, error) {
	r, err := git.PlainOpen(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	remotes, err := r.Remotes()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	var urls []string
	for _, rm := range remotes {
		urls = append(urls, rm.Config().URLs...)
	}
	return urls, nil
}

// ConfigFiles lists the files git reads the configuration of the
// repository in dir from, includes followed (git config --list
// --show-origin --includes), for a caller that checks who could have
// written them; nil without the git program (go-git reads .git/config
// alone, and no include). With localOnly, the files of the system and
// global scopes (/etc/gitconfig, ~/.gitconfig, and what they include)
// are left out: git reads them for every repository of the user who
// runs it, so for an ordinary user they are hers to choose (reviewer
// R8: her ~/.gitconfig including a team file made deploy fail).
func (c *Client) ConfigFiles(ctx context.Context, dir string, localOnly bool) ([]string, error) {
	if c.Git == "" {
		return nil, nil
	}
	out, err := c.run(ctx, dir, "config", "--list", "--show-scope", "--show-origin", "--includes", "-z")
	if err != nil {
		// A git older than 2.26 has no --show-scope: every file then
		// counts, as its scope cannot be told.
		old, oerr := c.run(ctx, dir, "config", "--list", "--show-origin", "--includes", "-z")
		if oerr != nil {
			return nil, err
		}
		out = withScope(old)
	}
	seen := map[string]bool{}
	var files []string
	// A relative origin (the repository's own .git/config) is relative to
	// where git runs, the top of the work tree (or the git folder of a
	// bare repository), not dir (reviewer R8: for a configuration in a
	// subfolder of its repository, <dir>/.git/config was checked, which
	// does not exist, and the real one never was).
	base := ""
	// -z: scope NUL origin NUL key\nvalue NUL, again.
	parts := strings.Split(out, "\x00")
	for i := 0; i+2 < len(parts); i += 3 {
		if localOnly && (parts[i] == "system" || parts[i] == "global") {
			continue
		}
		if f, ok := strings.CutPrefix(parts[i+1], "file:"); ok && !seen[f] {
			seen[f] = true
			if !filepath.IsAbs(f) {
				if base == "" {
					if base, err = c.Top(ctx, dir); err != nil {
						return nil, err
					}
				}
				f = filepath.Join(base, f)
			}
			files = append(files, f)
		}
	}
	return files, nil
}

// Top is the folder git runs a command in dir from: the top of its work
// tree, or the git folder of a bare repository. Without the git
// program, the nearest folder at or above dir that holds .git (go-git
// opens no other).
func (c *Client) Top(ctx context.Context, dir string) (string, error) {
	top, _, err := c.layout(ctx, dir)
	return top, err
}

// Repository is the top of the repository in dir whose git folder is
// its own .git folder (or a bare repository's folder): the one a caller
// checks whole before git works in it. An error when git's folder is
// elsewhere (a .git file, core.worktree: reviewer R9, whose repository
// git would use was not the one checked).
func (c *Client) Repository(ctx context.Context, dir string) (string, error) {
	top, gitDir, err := c.layout(ctx, dir)
	if err != nil || c.Git == "" {
		return top, err
	}
	if gitDir != top && gitDir != filepath.Join(top, ".git") {
		return "", fmt.Errorf("%s: git's repository is %s, not in %s", dir, gitDir, top)
	}
	return top, nil
}

// layout is Top, and the git folder git uses in dir (with the git
// program), asked of git once for a work tree: git refuses
// --show-toplevel in a bare repository, which a second call then asks
// for its git folder alone. Switch, doctor and deploy ask it for every
// run in a repository (ConfigFiles).
func (c *Client) layout(ctx context.Context, dir string) (top, gitDir string, err error) {
	if c.Git == "" {
		for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
			if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
				return d, "", nil
			}
			if d == filepath.Dir(d) {
				return "", "", fmt.Errorf("%s: not in a git repository", dir)
			}
		}
	}
	if out, err := c.run(ctx, dir, "rev-parse", "--absolute-git-dir", "--show-toplevel"); err == nil {
		if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) == 2 {
			return lines[1], lines[0], nil
		}
	}
	out, err := c.run(ctx, dir, "rev-parse", "--is-bare-repository", "--absolute-git-dir")
	if err != nil {
		return "", "", err
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || lines[0] != "true" {
		return "", "", fmt.Errorf("%s: git rev-parse said %q", dir, out)
	}
	return lines[1], lines[1], nil
}

// FetchURLs lists the URLs a pull in dir may fetch from as git would
// use them: each remote's (url.*.insteadOf applied, git ls-remote
// --get-url), and the branch's remote when it is a URL or path itself
// (branch.<name>.remote); without the git program, the remotes' URLs as
// go-git reads them (RemoteURLs).
func (c *Client) FetchURLs(ctx context.Context, dir string) ([]string, error) {
	if c.Git == "" {
		return c.RemoteURLs(dir)
	}
	names, err := c.run(ctx, dir, "remote")
	if err != nil {
		return nil, err
	}
	list := strings.Fields(names)
	if b, err := c.run(ctx, dir, "symbolic-ref", "--quiet", "--short", "HEAD"); err == nil {
		if r, err := c.run(ctx, dir, "config", "--get", "branch."+strings.TrimSpace(b)+".remote"); err == nil {
			if r = strings.TrimSpace(r); r != "" && !slices.Contains(list, r) {
				list = append(list, r)
			}
		}
	}
	var urls []string
	for _, name := range list {
		u, err := c.run(ctx, dir, "ls-remote", "--get-url", "--", name)
		if err != nil {
			return nil, err
		}
		urls = append(urls, strings.TrimSpace(u))
	}
	return urls, nil
}

// An Author signs a first commit.
type Author struct {
	Name, Email string
}

// Init makes dir a new repository holding every file in it, in one
// commit with message, and returns the commit. It refuses a dir that is
// a repository already. The git program's own identity (user.name,
// user.email) wins over author when it has one.
func (c *Client) Init(ctx context.Context, dir, message string, author Author, now time.Time) (string, error) {
	if exists(filepath.Join(dir, ".git")) {
		return "", fmt.Errorf("%s: a git repository exists already", dir)
	}
	if c.Git != "" {
		if _, err := c.run(ctx, dir, "init", "--quiet"); err != nil {
			return "", err
		}
		if _, err := c.run(ctx, dir, "add", "--all"); err != nil {
			return "", err
		}
		args := []string{"commit", "--quiet", "--no-verify", "--no-gpg-sign", "-m", message}
		if name, _ := c.run(ctx, dir, "config", "user.name"); strings.TrimSpace(name) == "" {
			args = append([]string{"-c", "user.name=" + author.Name}, args...)
		}
		if email, _ := c.run(ctx, dir, "config", "user.email"); strings.TrimSpace(email) == "" {
			args = append([]string{"-c", "user.email=" + author.Email}, args...)
		}
		if _, err := c.run(ctx, dir, args...); err != nil {
			return "", err
		}
		return c.Head(ctx, dir)
	}
	r, err := git.PlainInit(dir, false)
	if err != nil {
		return "", fmt.Errorf("%s: git init: %w", dir, err)
	}
	w, err := r.Worktree()
	if err != nil {
		return "", fmt.Errorf("%s: %w", dir, err)
	}
	if err := w.AddWithOptions(&git.AddOptions{All: true}); err != nil {
		return "", fmt.Errorf("%s: git add: %w", dir, err)
	}
	sig := &object.Signature{Name: author.Name, Email: author.Email, When: now}
	h, err := w.Commit(message, &git.CommitOptions{Author: sig, Committer: sig})
	if err != nil {
		return "", fmt.Errorf("%s: git commit: %w", dir, err)
	}
	return h.String(), nil
}

var serveLocalOnce sync.Once

// serveLocal makes go-git read file:// URLs and local paths itself: its
// own file transport runs git-upload-pack, which a machine without git
// lacks.
func serveLocal() {
	serveLocalOnce.Do(func() { client.InstallProtocol("file", server.NewServer(localLoader{})) })
}

// A localLoader opens the repository at an endpoint's path: a bare one,
// or the .git folder of a work tree.
type localLoader struct{}

func (localLoader) Load(ep *transport.Endpoint) (storer.Storer, error) {
	p := ep.Path
	if fi, err := os.Stat(filepath.Join(p, ".git")); err == nil && fi.IsDir() {
		p = filepath.Join(p, ".git")
	}
	if _, err := os.Stat(filepath.Join(p, "config")); err != nil {
		return nil, transport.ErrRepositoryNotFound
	}
	return filesystem.NewStorage(osfs.New(p), cache.NewObjectLRUDefault()), nil
}

// run runs git with args (in dir unless ""), untranslated and without
// prompts: a clone that needs a password fails instead of waiting.
func (c *Client) run(ctx context.Context, dir string, args ...string) (string, error) {
	// No program of the repository's own runs: no fsmonitor (git status
	// runs it) and no hooks (a pull's post-merge). Reviewer R5: an
	// included config file of another user's set core.fsmonitor, and
	// gocfg update's git status ran her command as root.
	args = append(slices.Clone(gitinfo.NoPrograms), args...)
	if dir != "" {
		args = append([]string{"-C", dir}, args...)
	}
	cmd := exec.CommandContext(ctx, c.Git, args...)
	cmd.Env = append(append(os.Environ(), "LC_ALL=C", "GIT_TERMINAL_PROMPT=0"), c.Env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		msg := strings.TrimSpace(errb.String())
		if msg == "" {
			msg = err.Error()
		}
		return "", fmt.Errorf("git %s: %s", args[firstVerb(args)], msg)
	}
	return out.String(), nil
}

// firstVerb is the index of git's subcommand in args (after -C dir and
// -c options).
func firstVerb(args []string) int {
	for i := 0; i < len(args); i++ {
		if args[i] == "-C" || args[i] == "-c" {
			i++
			continue
		}
		return i
	}
	return 0
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// emptyOrMissing refuses a dir with anything in it.
func emptyOrMissing(dir string) error {
	ents, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return err
	case len(ents) > 0:
		return fmt.Errorf("%s: the folder exists and is not empty", dir)
	}
	return nil
}

// clearDir empties dir after a failed clone into it.
func clearDir(dir string) {
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		_ = os.RemoveAll(filepath.Join(dir, e.Name()))
	}
}

// withScope turns git config --list --show-origin -z output into the
// form --show-scope gives, each entry's scope "unknown".
func withScope(out string) string {
	parts := strings.Split(out, "\x00")
	var b strings.Builder
	for i := 0; i+1 < len(parts); i += 2 {
		b.WriteString("unknown\x00" + parts[i] + "\x00" + parts[i+1] + "\x00")
	}
	return b.String()
}
