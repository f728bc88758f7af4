package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	json "github.com/goccy/go-json"
	"github.com/gocfg/gocfg/deploy"
	"github.com/gocfg/gocfg/deploy/bundle"
	"github.com/gocfg/gocfg/internal/buildinfo"
	"github.com/gocfg/gocfg/internal/gitinfo"
	"github.com/spf13/cobra"
)

// deployOptions are the inputs of `gocfg deploy`.
type deployOptions struct {
	Env *Env
	// Config is the configuration folder, whose hosts/*.hcl are the fleet.
	Config     configFlags
	On         []string
	Parallel   int
	MaxFail    string
	Plan       bool
	DryRun     bool
	Rollback   bool
	SSHConfig  string
	Binaries   string
	BackupExt  string
	JSON       bool
	transport  deploy.Transport // tests: a fake fleet instead of ssh
	executable func() (string, error)
	// home is ssh's home folder (sshHome; tests: their own).
	home string
}

// runningBinary is the file a host of this machine's OS and architecture
// is sent: on Linux /proc/self/exe, which opens the image that runs even
// when its file was replaced since (go install during a deploy: the
// hosts got another gocfg than the one that planned; reviewer R19),
// else the executable's path.
func runningBinary() (string, error) {
	if f, err := os.Open("/proc/self/exe"); err == nil {
		f.Close()
		return "/proc/self/exe", nil
	}
	return os.Executable()
}

// newDeployCmd builds `gocfg deploy`. It declares no system mode
// (sysmode.go): it never opens this machine, only reads the configuration
// here; what it changes, it changes on the remote hosts, through the
// gocfg it runs there (switch, plan or rollback with their own modes).
func newDeployCmd(env *Env, runF func(context.Context, *deployOptions) error) *cobra.Command {
	opts := &deployOptions{Env: env, executable: runningBinary}
	cmd := &cobra.Command{
		Use:   "deploy",
		Short: "Switch the hosts of the configuration's hosts/*.hcl over SSH",
		Long: `Deploy the configuration to the hosts of the configuration folder's hosts/*.hcl
over the OpenSSH client (your ssh_config, agent, ProxyJump and known_hosts
apply). For each selected host, --parallel at a time: connect once (a shared
master connection), evaluate its configuration here with its OS and
architecture, put this gocfg on it when it lacks it, send the evaluated
configuration and the files it reads, and switch there, detached from the
connection. With deployment.magic_rollback (the default) the host rolls
itself back unless this machine confirms the switch over a new SSH
connection within deployment.confirm_timeout, after the health checks pass:
a change that cuts SSH off undoes itself.

Each host's output is prefixed with its name; a table of the results ends
it. --on picks hosts by name, @tag or glob (default: all). A host that fails
does not stop the others, unless --max-fail hosts have failed: then the
hosts not started yet are skipped. --backup-ext EXT is each host's switch's
(an unmanaged file in the way of a managed one is moved to <path>.EXT,
never over a backup already there). --plan shows each host's plan and changes
nothing; --dry-run runs each host's switch as a dry run (gocfg switch
--dry-run there: the plan, nothing changed); --rollback rolls each host back
to its previous generation.

What runs programs as you or as root on the hosts must be no other user's
to change: --ssh-config and, without it, ~/.ssh/config and
/etc/ssh/ssh_config, with the files they Include; --binaries and its
gocfg-<os>-<arch>. The SSH control sockets go in $XDG_RUNTIME_DIR, $TMPDIR
or /tmp, the first that is private and short (at most 21 characters on
Linux, 17 on macOS, where /private/tmp qualifies). Otherwise the deploy refuses before any host is reached, and says
which file or folder and why.

See docs/deploy.md.

SIGINT (Ctrl-C) or SIGTERM stops the deploy: no more hosts start, the ones
under way stop and are reported (a host in the middle of its switch goes on
with it, and rolls back by itself after deployment.confirm_timeout since
nothing confirms it), the table is printed and the SSH connections closed.

Exit codes:
  0    every host switched or had nothing to change (with --plan: planned;
       with --dry-run: its dry run ran; with --rollback: rolled back)
  1    an error, or any host failed, rolled back, was unreachable or skipped
  130  interrupted by SIGINT (143: by SIGTERM)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runF(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	nonEmptyVar(f, &opts.Config.Config, "config", "c", "configuration folder with hosts/*.hcl (default $GOCFG_CONFIG, else ~/.config/gocfg)", "for the default configuration")
	f.StringArrayVar(&opts.On, "on", nil, "deploy to the hosts `NAME|@TAG|GLOB` selects (repeatable; default: every host)")
	opts.Parallel = 10
	f.Var(intFlag{n: &opts.Parallel, min: 1, what: "a number of hosts (1 or more)"}, "parallel", "deploy to `N` hosts at a time")
	f.StringVar(&opts.MaxFail, "max-fail", "", "skip the hosts not started yet once `N|P%` hosts have failed")
	f.BoolVar(&opts.Plan, "plan", false, "show each host's plan against its live machine; change nothing")
	f.BoolVarP(&opts.DryRun, "dry-run", "n", false, "run each host's switch as a dry run (switch --dry-run): print the plan, change nothing")
	f.BoolVar(&opts.Rollback, "rollback", false, "roll each host back to its previous generation")
	f.StringVar(&opts.BackupExt, "backup-ext", "", "each host's switch moves unmanaged files in the way to <path>.`EXT` (never over an existing backup)")
	f.StringVar(&opts.SSHConfig, "ssh-config", "", "pass -F `FILE` to every ssh")
	f.StringVar(&opts.Binaries, "binaries", "", "`DIR` holding gocfg-<os>-<arch>, for hosts of another OS or architecture (as scripts/release.sh names them)")
	f.BoolVar(&opts.JSON, "json", false, "print the results as JSON on stdout (the hosts' output goes to stderr)")
	opts.Config.registerCache(cmd)
	markExclusive(cmd, "plan", "rollback", "dry-run")
	return cmd
}

func runDeploy(ctx context.Context, opts *deployOptions) error {
	env := opts.Env
	if opts.Parallel < 1 {
		return withHints(fmt.Errorf("--parallel %d: at least 1", opts.Parallel), "see: gocfg deploy --help")
	}
	backup, err := backupExt(opts.BackupExt)
	if err != nil {
		return err
	}
	if err := deployPaths(opts, env); err != nil {
		return err
	}
	dir, err := deployDir(env, &opts.Config)
	if err != nil {
		return err
	}
	ev := &deployEval{env: env, dir: dir, flags: opts.Config}
	// The inventory reads only deployment.* (lazily, without the assert
	// blocks), with this machine's facts: a host's configuration may hold
	// only on its own platform. Each host is evaluated whole with its own
	// facts once connected.
	// --on naming hosts by name evaluates those alone.
	var hosts []deploy.Host
	names, err := deploy.HostNames(dir)
	if err == nil {
		lit := deploy.Literal(opts.On, names)
		if lit != nil {
			names = lit
		}
		// Every host the inventory evaluates will be deployed: its
		// evaluation also makes what the next steps ask (deployEval).
		ev.warm = !opts.Rollback && (len(opts.On) == 0 || lit != nil)
		hosts, err = deploy.InventoryOf(ctx, names, func(ctx context.Context, name string) ([]byte, error) {
			return ev.deployment(name)
		})
	}
	if errors.Is(err, deploy.ErrNoHosts) {
		return withHints(err, "describe each machine in hosts/<name>.hcl, its name as ssh reaches it (see docs/deploy.md)")
	}
	if err != nil {
		return err
	}
	selected, err := deploy.Select(hosts, opts.On)
	if err != nil {
		return withHints(err, "--on takes a host's name, @TAG or a glob of names such as 'web*' (quoted for the shell); see: gocfg deploy --help")
	}
	maxFail, err := deploy.MaxFail(opts.MaxFail, len(selected))
	if err != nil {
		return withHints(err, "--max-fail takes a number of hosts (3) or a percentage of them (25%)")
	}

	// From here SIGINT and SIGTERM stop the deploy in order: no host
	// starts, the hosts under way stop where they are and are reported
	// (a switch goes on detached on its host, and rolls back unless
	// confirmed), the table is printed, the masters are closed
	// (Cleanup, deferred: it runs after the table, on every path).
	release := env.Interrupts.guardWith("starting no more hosts, stopping the ones under way and closing the SSH connections; wait",
		"still stopping; wait")
	defer release()
	transport := opts.transport
	if transport == nil {
		root, err := deployControlRoot(env)
		if err != nil {
			return err
		}
		s, err := deploy.NewSSH(opts.SSHConfig, root)
		if err != nil {
			return err
		}
		defer s.Cleanup()
		transport = s
	}
	meta := bundle.Meta{Version: buildinfo.Version()}
	if err := gitConfigTrust(ctx, env, dir); err != nil {
		return err
	}
	meta.Commit, meta.Dirty, _ = gitinfo.Describe(ctx, dir)
	mode := deploy.ModeSwitch
	switch {
	case opts.Plan:
		mode = deploy.ModePlan
	case opts.Rollback:
		mode = deploy.ModeRollback
	case opts.DryRun:
		mode = deploy.ModeDryRun
	}
	d := &deploy.Deployer{
		T:     transport,
		Mode:  mode,
		RunID: deploy.NewRunID(env.Now()),
		// The hint of a host's file in the way names --backup-ext.
		BackupExt: backup,
		Now:       env.Now,
		// A test build's (0: a minute).
		Reconnect: setTestBounds(env).DeployReconnect,
		Binary: func(goos, goarch string) (string, error) {
			return deployBinary(opts, env, goos, goarch)
		},
		Check: func(ctx context.Context, h deploy.Host, w io.Writer) error {
			return ev.check(w, h)
		},
		Prepare: func(ctx context.Context, h deploy.Host, f deploy.Facts, w io.Writer) (*bundle.Bundle, error) {
			return ev.bundle(w, h, f, meta)
		},
	}
	stream := env.Stdout
	if opts.JSON {
		stream = env.Stderr
	}
	out := deploy.NewOutput(stream)
	if env.Columns != nil {
		out.Wrap(func() int { return env.Columns(stream) })
	}
	results := d.Run(ctx, selected, opts.Parallel, maxFail, out)
	if opts.JSON {
		js, err := json.MarshalIndent(results, "", "  ")
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(env.Stdout, "%s\n", js); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(env.Stdout)
		width := 0
		if env.Columns != nil {
			width = env.Columns(env.Stdout)
		}
		if err := deploy.WriteTableWrapped(env.Stdout, results, width); err != nil {
			return err
		}
	}
	if sig := env.Interrupts.signal(); sig != nil {
		fmt.Fprintf(env.Stderr, "gocfg: the deploy was interrupted (%s)%s\n", signalName(sig), interruptedHosts(results))
		return exitCodeError(exitCode(sig))
	}
	if !deploy.AllOK(results) {
		return exitCodeError(exitError)
	}
	return nil
}

// interruptedHosts says which hosts an interrupted deploy stopped under
// way and which it did not start: ": under way: web1 (see the table);
// not started: web2, db1".
func interruptedHosts(results []deploy.Result) string {
	var under, skipped []string
	for _, r := range results {
		switch {
		case r.Outcome == deploy.Interrupted:
			under = append(under, r.Host)
		case r.Outcome == deploy.Skipped && r.Why == "interrupted":
			skipped = append(skipped, r.Host)
		}
	}
	var parts []string
	if len(under) > 0 {
		parts = append(parts, "under way: "+strings.Join(under, ", ")+" (what becomes of each: see its result)")
	}
	if len(skipped) > 0 {
		parts = append(parts, "not started: "+strings.Join(skipped, ", "))
	}
	if len(parts) == 0 {
		return ""
	}
	return ": " + strings.Join(parts, "; ")
}

// deployDir is the configuration folder: --config or the default, a
// folder (a hosts/<name>.hcl given stands for its folder's parent).
func deployDir(env *Env, f *configFlags) (string, error) {
	loc, _ := f.location(env)
	if !filepath.IsAbs(loc) {
		loc = filepath.Join(env.WorkDir, loc)
	}
	fi, err := os.Stat(loc)
	if errors.Is(err, fs.ErrNotExist) {
		err = fmt.Errorf("%s: no such file or folder", relPath(env.WorkDir, loc))
	}
	if err != nil {
		return "", withHints(err, "pass --config DIR, the folder with hosts/*.hcl")
	}
	if !fi.IsDir() {
		loc = filepath.Dir(loc)
		if filepath.Base(loc) == "hosts" {
			loc = filepath.Dir(loc)
		}
	}
	return loc, nil
}

// deployPaths checks --ssh-config FILE and --binaries DIR before any
// host is evaluated or reached (tester U: a mistyped one showed only as
// every host's "unreachable", with ssh's words, or after the first
// connection).
func deployPaths(opts *deployOptions, env *Env) error {
	home := opts.home
	if home == "" {
		home = sshHome(env)
	}
	check := func(flag, p string, dir bool) error {
		if p == "" || !dir && p == "none" {
			// ssh -F none reads no configuration file at all.
			return nil
		}
		// A .. is followed by the kernel through the link before it,
		// while the check would clean it as text (reviewer R27: ssh read
		// ~/work/../ssh_config where ~/work led, another user's folder).
		if slices.Contains(strings.Split(p, "/"), "..") {
			return withHints(fmt.Errorf("%s %s: a path with .., which leads where the links before it lead, so gocfg does not take it", flag, p), "give the path without ..")
		}
		abs := p
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(env.WorkDir, abs)
		}
		fi, err := os.Stat(abs)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return withHints(fmt.Errorf("%s %s: no such file or folder", flag, p), "see: gocfg deploy --help")
		case err != nil:
			return fmt.Errorf("%s %s: %w", flag, p, err)
		case dir && !fi.IsDir():
			return withHints(fmt.Errorf("%s %s: not a folder", flag, p), "--binaries takes the folder that holds gocfg-<os>-<arch> (scripts/release.sh builds them)")
		case !dir && fi.IsDir():
			return withHints(fmt.Errorf("%s %s: a folder, not a file", flag, p), "--ssh-config takes an ssh_config file, passed to ssh as -F FILE")
		}
		// ssh runs what its configuration says (LocalCommand,
		// ProxyCommand), and the hosts run the binaries as root: neither
		// may be another user's to change (tester AW: a shared team
		// folder ran her command as the deploying user, and her program
		// as root on every host). ssh checks ~/.ssh/config's modes, but
		// not -F's.
		if !dir {
			return untrustedSSHConfig(env, abs, filepath.Join(includeHome(env, home), ".ssh"), home, flag+" "+p)
		}
		return untrustedRunner(env, abs, flag+" "+p, binarySo, binaryHint)
	}
	if err := check("--ssh-config", opts.SSHConfig, false); err != nil {
		return err
	}
	if opts.SSHConfig == "" {
		// What ssh reads without -F, its includes too (tester AY).
		// One that is not there yet is checked too: a folder on the
		// way that others may write would let one in (reviewer R20).
		for _, f := range sshConfigFiles(home, includeHome(env, home)) {
			if err := untrustedSSHConfig(env, f[0], f[1], home, "ssh's configuration "+f[0]); err != nil {
				return err
			}
		}
	}
	if err := check("--binaries", opts.Binaries, true); err != nil || opts.Binaries == "" {
		return err
	}
	// Each binary too, before any host is reached (tester BA: one
	// others may write failed each host, after connecting, without a
	// hint).
	dir := opts.Binaries
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(env.WorkDir, dir)
	}
	bins, _ := filepath.Glob(filepath.Join(dir, "gocfg-*-*"))
	for _, b := range bins {
		if err := untrustedRunner(env, b, "--binaries' "+b, binarySo, binaryHint); err != nil {
			return err
		}
	}
	return nil
}

// deployBinary is the gocfg binary for a host: this one when the OS and
// architecture match, else gocfg-<os>-<arch> of --binaries.
func deployBinary(opts *deployOptions, env *Env, goos, goarch string) (string, error) {
	if goos == runtime.GOOS && goarch == runtime.GOARCH {
		p, err := opts.executable()
		if err != nil || p == "/proc/self/exe" {
			return p, err
		}
		// Read again by its path (macOS): it must be no one else's to
		// change, as --binaries' are (tester AY).
		return p, untrustedRunner(env, p, "the running gocfg "+p, binarySo, binaryHint)
	}
	name := "gocfg-" + goos + "-" + goarch
	if opts.Binaries == "" {
		return "", fmt.Errorf("the host is %s/%s and this gocfg is %s/%s: pass --binaries DIR, a folder with %s (scripts/release.sh builds them)",
			goos, goarch, runtime.GOOS, runtime.GOARCH, name)
	}
	p := filepath.Join(opts.Binaries, name)
	if !filepath.IsAbs(p) {
		p = filepath.Join(env.WorkDir, p)
	}
	if fi, err := os.Stat(p); err != nil || !fi.Mode().IsRegular() {
		return "", fmt.Errorf("the host is %s/%s: --binaries %s has no %s (scripts/release.sh builds them)", goos, goarch, opts.Binaries, name)
	}
	if err := untrustedRunner(env, p, "--binaries' "+p, binarySo, binaryHint); err != nil {
		return "", err
	}
	return p, nil
}
