package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/gocfg/gocfg/internal/gitclone"
	"github.com/spf13/cobra"
)

// initBackupExt is the suffix `gocfg init --apply` moves files in the
// way to: on a fresh machine ~/.bashrc or /etc/motd are in the way of
// the repository's own, and the first run should not stop on them.
const initBackupExt = ".gocfg-backup"

// initOptions are the inputs of `gocfg init`.
type initOptions struct {
	Env *Env
	// Apply carries the flags switch takes (--config, --host, --root,
	// --backup-ext, ...): init --apply switches with them.
	Apply applyFlags
	// Source is the repository to clone ("": write a starter repository
	// describing this machine).
	Source string
	// DoApply: switch to the cloned configuration (--apply).
	DoApply bool
	// SSH: a GitHub user name means git@github.com:USER/dotfiles.git.
	SSH bool
	// Git clones and commits (nil: gitclone.New()).
	Git *gitclone.Client
}

func newInitCmd(env *Env, runF func(context.Context, *initOptions) error) *cobra.Command {
	opts := &initOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "init [--apply] [SOURCE]",
		Short: "Clone a dotfiles repository (and switch to it), or write one describing this machine",
		Long: `With SOURCE, clone the dotfiles repository into the configuration folder;
with --apply also show the plan and switch to it, as gocfg switch does: one
command makes a new machine yours. SOURCE is

  a git URL        https://..., git@host:path, ssh://..., file://...
  a local path     /abs/path or ./path: a work tree, a bare repository or
                   a bundle; one that another user could change (its
                   owner, or a folder on the way) is refused (root and
                   you, or the sudo user, are trusted)
  a GitHub user    alice → https://github.com/alice/dotfiles.git
                   (--ssh: git@github.com:alice/dotfiles.git);
                   alice/repo → https://github.com/alice/repo.git
                   (a bare name is GitHub's even when a folder of that
                   name is here: write ./alice for the folder)

With --apply, unmanaged files in the way (the ~/.bashrc of a fresh machine)
are moved aside to <path>` + initBackupExt + ` instead of stopping the switch
(--backup-ext changes the suffix; --backup-ext "" stops instead); a backup
is put back when the configuration later lets go of its path.

Without SOURCE, write a starter repository describing this machine as it
is: hosts/<host>.hcl with the ordinary users (their shells and groups) and
the packages installed by hand (apt-mark showmanual; brew leaves and casks
on macOS), a README saying what to do next, and a first commit; the first
gocfg plan shows no changes, or nearly none.

The configuration folder is --config, else $GOCFG_CONFIG, else /etc/gocfg
when run as root (under --root DIR, DIR/etc/gocfg) and ~/.config/gocfg
otherwise. init never writes over a folder that has anything in it; run as
root, it refuses a folder that another user owns or could change, or one
under such a folder, and makes the missing ones itself. Cloning uses the git program when it is
installed, else a git library built into gocfg.` + partialExitCodesHelp,
		Args:        cobra.MaximumNArgs(1),
		Annotations: sysAnnotations(sysReadOnly, "apply"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Source = args[0]
			}
			return runF(cmd.Context(), opts)
		},
	}
	registerApplyFlags(cmd, &opts.Apply)
	if f := cmd.Flags().Lookup("backup-ext"); f != nil {
		_ = f.Value.Set(initBackupExt)
		f.DefValue = initBackupExt
	}
	cmd.Flags().BoolVarP(&opts.DoApply, "apply", "a", false, "switch to the cloned configuration")
	cmd.Flags().BoolVar(&opts.SSH, "ssh", false, "clone a GitHub user's repository over SSH (git@github.com:USER/dotfiles.git)")
	return cmd
}

func runInit(ctx context.Context, opts *initOptions) error {
	env := opts.Env
	if opts.Git == nil {
		opts.Git = gitclone.New()
	}
	dir := initConfigDir(env, opts.Apply.Config, opts.Apply.Machine)
	opts.Apply.Config.Config = dir
	if opts.Source == "" {
		if opts.DoApply || opts.SSH {
			return withHints(errors.New("--apply and --ssh need a SOURCE to clone"), "gocfg init --apply alice, or gocfg init alone to describe this machine")
		}
		return runInitDescribe(ctx, opts, dir)
	}
	url, err := sourceURL(env, opts.Source, opts.SSH)
	if err != nil {
		return err
	}
	if err := refuseExisting(env, dir, opts.Apply.Machine); err != nil {
		return err
	}
	// Where the clone goes is checked before it is made: a folder
	// another user could change there would have the switch refuse the
	// clone's modules, and leave the clone behind (reviewer R8), and
	// one she could swap would have root's git write where she points
	// (configTarget).
	if err := configTarget(env, dir, "the folder to clone into:"); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "gocfg: cloning %s into %s (%s)\n", url, shownDir(env, dir), opts.Git.Tool())
	commit, err := opts.Git.Clone(ctx, url, dir)
	if err != nil {
		return withHints(err, "check the URL and that you may read it (git clone "+url+")")
	}
	if !opts.DoApply {
		fmt.Fprintf(env.Stdout, "Cloned %s (commit %s) into %s.\n\nNext: gocfg plan%s to see what it would change, then gocfg switch%s.\n",
			url, shortCommit(commit), dir, machineArgs(env, dir, opts.Apply.Machine), machineArgs(env, dir, opts.Apply.Machine))
		return nil
	}
	if opts.Apply.BackupExt != "" {
		fmt.Fprintf(env.Stderr, "gocfg: files in the way are moved aside to <path>%s\n", opts.Apply.BackupExt)
	}
	return runSwitch(ctx, &switchOptions{Env: env, Apply: opts.Apply})
}

// initConfigDir is the configuration folder init and update use:
// --config, else $GOCFG_CONFIG, else /etc/gocfg for root and
// ~/.config/gocfg for anyone else. Under --root (root), the tree's
// etc/gocfg, as nixos-install reads the new system's /mnt/etc/nixos:
// tester BJ's init --apply --root cloned into this machine's /etc/gocfg,
// which then was the configuration of every plain gocfg switch here.
func initConfigDir(env *Env, f configFlags, m machineFlags) string {
	if loc, chosen := f.location(env); chosen || env.EUID != 0 {
		if !filepath.IsAbs(loc) {
			loc = filepath.Join(env.WorkDir, loc)
		}
		return filepath.Clean(loc)
	}
	if m.Root != "" {
		root := m.Root
		if !filepath.IsAbs(root) {
			root = filepath.Join(env.WorkDir, root)
		}
		return filepath.Join(root, machineConfigDir)
	}
	return machineConfigDir
}

// configArg is the -c flag later commands need to find dir ("" when
// they find it by default).
func configArg(env *Env, dir string) string {
	if def, _ := (&configFlags{}).location(env); def == dir {
		return ""
	}
	return " -c " + shownDir(env, dir)
}

// machineArgs are configArg and, under --root, the --root flag the later
// commands need too (reviewer R35: init --root said "gocfg switch -c
// r9/etc/gocfg", which, followed, applied the tree's configuration to
// this machine).
func machineArgs(env *Env, dir string, m machineFlags) string {
	if m.Root == "" {
		return configArg(env, dir)
	}
	return configArg(env, dir) + " --root " + shownDir(env, m.Root)
}

// refuseExisting refuses a configuration folder that has anything in it.
func refuseExisting(env *Env, dir string, m machineFlags) error {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) || err == nil && len(ents) == 0 {
		return nil
	}
	if err != nil {
		return err
	}
	shown := shownDir(env, dir)
	if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
		if _, err := os.Lstat(filepath.Join(dir, ".git", "index.lock")); err == nil {
			// Tester BJ: a clone killed during its checkout left part of
			// the files; the hint to switch applied half the modules.
			return withHints(fmt.Errorf("%s: a repository is there, with git's index.lock: a clone that did not finish (or a git that still runs there)", shown),
				"if no git runs there, remove the folder and run gocfg init again: its files may be a part of the repository's")
		}
		return withHints(fmt.Errorf("%s: a repository is there already; init does not write over it", shown),
			"gocfg update"+machineArgs(env, dir, m)+" pulls it and switches; gocfg switch"+machineArgs(env, dir, m)+" applies it as it is",
			"or pass --config DIR to use another folder")
	}
	return withHints(fmt.Errorf("%s: the folder exists and is not empty; init does not write over it", shown),
		"move it away, or pass --config DIR to use another folder")
}

var (
	// gitHubUser is a GitHub user or organization name.
	gitHubUser = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$`) })
	// gitHubRepo is USER/REPO.
	gitHubRepo = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]+$`)
	})
	// scpLike is git's user@host:path form.
	scpLike = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:`) })
)

// sourceURL turns init's SOURCE into what git clones: a URL stays as it
// is, a path (absolute, or starting with ./ or ../) becomes absolute, a
// GitHub user name becomes the URL of their dotfiles repository
// (USER/REPO: that repository). A bare name is always GitHub's, even
// when the working folder has an entry of that name (tester AI: root's
// gocfg init --apply alice, run from /tmp, cloned and applied her
// /tmp/alice); such an entry gets a warning saying how to name it. A
// local repository (a path, or a file:// URL) that another user could
// change, on its way or in what git reads of it, is refused
// (untrustedRepo): git's own ownership check (safe.directory) passes over
// a bundle file and looks at the top folder only, and go-git, used where
// there is no git, has none.
func sourceURL(env *Env, src string, ssh bool) (string, error) {
	github := func(path string) string {
		if ssh {
			return "git@github.com:" + path + ".git"
		}
		return "https://github.com/" + path + ".git"
	}
	isURL := strings.Contains(src, "://") || scpLike().MatchString(src)
	isPath := filepath.IsAbs(src) || src == "." || src == ".." || strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../")
	abs := func(p string) string {
		if !filepath.IsAbs(p) {
			p = filepath.Join(env.WorkDir, p)
		}
		return filepath.Clean(p)
	}
	switch {
	case ssh && (isURL || isPath):
		return "", withHints(fmt.Errorf("--ssh %s: --ssh applies to a GitHub user name", src), "give the SSH URL itself, such as git@host:path")
	case isFileURL(src):
		p, _, err := localRepoPath(env.WorkDir, src)
		if err != nil {
			return "", withHints(err, "give file:///absolute/path")
		}
		if err := untrustedRepo(env, p, "the repository to clone:"); err != nil {
			return "", err
		}
		return src, nil
	case isURL:
		return src, nil
	case isPath:
		p := abs(src)
		if _, err := os.Stat(p); err != nil {
			return "", withHints(fmt.Errorf("%s: %w", p, err), "give an existing folder (a work tree or a bare repository) or a bundle file")
		}
		if err := untrustedRepo(env, p, "the repository to clone:"); err != nil {
			return "", err
		}
		return p, nil
	}
	var url string
	switch {
	case gitHubUser().MatchString(src):
		url = github(src + "/dotfiles")
	case gitHubRepo().MatchString(src) && !strings.HasSuffix(src, "/.") && !strings.HasSuffix(src, "/.."):
		url = github(strings.TrimSuffix(src, ".git"))
	default:
		return "", withHints(fmt.Errorf("%s: not a git URL, a path or a GitHub user name", src),
			"give https://host/path.git, git@host:path, file:///path, a path (/abs/path or ./folder), or a GitHub user name")
	}
	if _, err := os.Lstat(abs(src)); err == nil {
		fmt.Fprintf(env.Stderr, "gocfg: warning: %s is read as a GitHub name (%s), not as the %s here\n", src, url, shownDir(env, abs(src)))
		fmt.Fprintf(env.Stderr, "gocfg: hint: for the local repository, write ./%s\n", src)
	}
	return url, nil
}

// shownDir is dir as messages show it: relative to the working folder
// when that is shorter, except from / (etc/gocfg reads as a typo).
func shownDir(env *Env, dir string) string {
	if env.WorkDir == "/" {
		return dir
	}
	return relPath(env.WorkDir, dir)
}
