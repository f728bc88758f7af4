package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gocfg/gocfg/internal/gitclone"
	"github.com/spf13/cobra"
)

// updateOptions are the inputs of `gocfg update`.
//
// update is a command of its own rather than `switch --pull`: switch
// only reads the dotfiles folder, and stays a command that needs no
// network and never changes the repository; update is the one that does
// both, as `chezmoi update` is for chezmoi users.
type updateOptions struct {
	Env   *Env
	Apply applyFlags
	// Git pulls (nil: gitclone.New()).
	Git *gitclone.Client
}

func newUpdateCmd(env *Env, runF func(context.Context, *updateOptions) error) *cobra.Command {
	opts := &updateOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "update",
		Short: "Pull the dotfiles repository, then switch to it",
		Long: `Fast-forward the configuration folder's repository to its upstream branch
(git pull --ff-only), then switch to it as gocfg switch does. update refuses
to pull over uncommitted changes (modified, staged or untracked files) and
never merges: commit or stash your changes first, or run gocfg switch to
apply the folder as it is.

The configuration folder is --config, else $GOCFG_CONFIG, else /etc/gocfg
when run as root and ~/.config/gocfg otherwise, as for gocfg init. It may be
a folder of its repository (a dotfiles repository with the configuration in
gocfg/): the whole repository is pulled. One inside etckeeper's repository of
/etc is refused: that pull would change all of /etc.` + partialExitCodesHelp,
		Args:        cobra.NoArgs,
		Annotations: sysAnnotations(sysReal),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runF(cmd.Context(), opts)
		},
	}
	registerApplyFlags(cmd, &opts.Apply)
	return cmd
}

func runUpdate(ctx context.Context, opts *updateOptions) error {
	env := opts.Env
	if opts.Git == nil {
		opts.Git = gitclone.New()
	}
	loc := initConfigDir(env, opts.Apply.Config, opts.Apply.Machine)
	opts.Apply.Config.Config = loc
	repo := loc
	if fi, err := os.Stat(loc); err == nil && !fi.IsDir() {
		repo = filepath.Dir(loc) // an entry module
	} else if err != nil {
		return withHints(fmt.Errorf("%s: no configuration folder", shownDir(env, loc)),
			"clone one with gocfg init SOURCE, or pass --config DIR")
	}
	shown := shownDir(env, repo)
	// The repository is checked whole, from its top: the configuration
	// may be a folder of it (reviewer R8: a configuration in a
	// subfolder was refused as "not a git repository").
	top := repo
	if t, err := opts.Git.Repository(ctx, repo); err == nil {
		top = t
	}
	if _, err := os.Lstat(filepath.Join(top, ".etckeeper")); top != repo && err == nil {
		// Reviewer R8's note: a configuration in /etc/gocfg is a
		// subfolder of etckeeper's repository of /etc; pulling it would
		// pull all of /etc from that repository's remote.
		return withHints(fmt.Errorf("%s is inside etckeeper's repository of %s: gocfg update would pull all of %s", shown, top, top),
			"if that is what you mean, pull it yourself (git -C "+top+" pull), then run gocfg switch; or keep the configuration in a git repository of its own",
			"nothing was changed")
	}
	if err := updateTrust(env, opts.Git, top); err != nil {
		return err
	}
	before, after, err := opts.Git.Pull(ctx, repo)
	switch {
	case errors.Is(err, gitclone.ErrDirty):
		return withHints(fmt.Errorf("%s has uncommitted changes; update does not pull over them", shown),
			"commit or stash them (git -C "+shown+" status), then run gocfg update again",
			"or run gocfg switch"+machineArgs(env, loc, opts.Apply.Machine)+" to apply the folder as it is",
			"nothing was changed")
	case err != nil:
		return withHints(err, "nothing was changed; gocfg switch"+machineArgs(env, loc, opts.Apply.Machine)+" applies the folder as it is")
	case before == after:
		fmt.Fprintf(env.Stderr, "gocfg: %s is up to date (commit %s)\n", shown, shortCommit(after))
	default:
		fmt.Fprintf(env.Stderr, "gocfg: pulled %s: %s → %s\n", shown, shortCommit(before), shortCommit(after))
	}
	return runSwitch(ctx, &switchOptions{Env: env, Apply: opts.Apply})
}

// updateTrust refuses a pull that another user could
// steer (reviewer R4): into a repository she could change, or from a
// local one (a path or file:// remote) she could; what init checked when
// it cloned may have changed since.
func updateTrust(env *Env, g *gitclone.Client, repo string) error {
	if err := untrustedRepo(env, repo, "the configuration to pull into:"); err != nil {
		return err
	}
	if _, ok := trustPolicy(env); !ok {
		return nil
	}
	// Every configuration file git reads there, includes too (reviewer
	// R5: an include of hers set core.fsmonitor, url.*.insteadOf or the
	// branch's remote).
	ctx := context.Background()
	files, err := g.ConfigFiles(ctx, repo, env.EUID != 0)
	if err != nil {
		return withHints(fmt.Errorf("%s: read its git configuration: %w", repo, err), "nothing was changed")
	}
	for _, f := range files {
		if err := untrustedFile(env, f, "a git configuration file git reads there:"); err != nil {
			return err
		}
	}
	urls, err := g.FetchURLs(ctx, repo)
	if err != nil {
		return nil // not a repository: Pull says so
	}
	for _, u := range urls {
		p, local, err := localRepoPath(repo, u)
		if err != nil {
			return withHints(fmt.Errorf("%s: remote %s: %w", repo, u, err), "nothing was changed")
		}
		if !local {
			continue
		}
		if err := untrustedRepo(env, p, "the repository it pulls from:"); err != nil {
			return err
		}
	}
	return nil
}
