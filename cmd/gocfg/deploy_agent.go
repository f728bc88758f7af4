package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	json "github.com/goccy/go-json"
	"github.com/gocfg/gocfg/deploy"
	"github.com/gocfg/gocfg/deploy/bundle"
	"github.com/gocfg/gocfg/internal/diagnostics"
	"github.com/google/renameio/v2"
	"github.com/spf13/cobra"
)

// deployAgentOptions are the inputs of `gocfg deploy-agent`, the host
// side of gocfg deploy (deploy/protocol.go).
type deployAgentOptions struct {
	Env *Env
	// Machine: only --root (hidden, for tests): the agent's switch and
	// rollback, and --detach, run under it.
	Machine        machineFlags
	Receive        bool
	Missing        bool
	Detach         bool
	Follow         bool
	Confirm        bool
	Refuse         bool
	ConfirmTimeout int
	// BackupExt is the --backup-ext of the agent's switch and rollback.
	BackupExt string
	From      int64
	Dir       string
}

func newDeployAgentCmd(env *Env, runF func(context.Context, *deployAgentOptions) error) *cobra.Command {
	opts := &deployAgentOptions{Env: env}
	cmd := &cobra.Command{
		Use:    "deploy-agent [--missing | --receive | --detach | --follow | --confirm | --refuse] DIR",
		Short:  "The host side of gocfg deploy (run by gocfg deploy over ssh)",
		Hidden: true,
		Long: `gocfg deploy runs this on each host it deploys to, over ssh, in the folder DIR
it sends the host's bundle to (see deploy/protocol.go):

  --missing DIR       read a bundle's manifest (JSON) on stdin and print, as a
                      JSON list, the paths of its files that the previous
                      bundle received next to DIR (DIR/../` + deploy.LastLink + `) does not
                      hold with their SHA-256: the files to send
  --receive DIR       extract the bundle read from stdin into DIR, a new or
                      empty folder, taking the files it does not hold from
                      the previous bundle; then DIR is the previous bundle
                      (DIR/../` + deploy.LastLink + ` points to it), and of the run-<id>
                      folders next to it only DIR and the newest other one
                      stay (and any whose agent is at work)
  --detach DIR        start the agent on DIR detached from the connection (a
                      systemd-run unit where systemd is the init, else a new
                      session) and return
  DIR                 the agent: switch to the bundle (as gocfg switch
                      --bundle DIR does), writing its output to DIR/log and
                      its state to DIR/status; with --confirm-timeout S > 0
                      it then waits S seconds for --confirm and rolls back to
                      the generation it switched from without it (also on
                      SIGTERM or SIGINT while it waits); with --backup-ext
                      EXT its switch and rollback are given it
  --follow DIR        print DIR/log from byte --from N as it grows, until the
                      agent reaches a state to report, then the state as a
                      last line "` + strings.TrimSpace(deploy.StatusPrefix) + ` <JSON>"
  --confirm DIR       confirm the switch; fails when the agent already
                      finished otherwise (it rolled back)
  --refuse DIR        refuse the switch (a health check failed): the agent
                      rolls back at once instead of at the end of its
                      --confirm-timeout; fails when the switch was
                      confirmed first

--missing, --receive and --follow only read and write DIR and the deploy's
folder next to it, and need no privileges; the agent, --detach, --confirm
and --refuse change the machine (or decide whether its switch stands).` + partialExitCodesHelp,
		Args: cobra.ExactArgs(1),
		// The agent, --detach, --confirm and --refuse change the machine (the agent
		// opens it through the switch and rollback it runs, --detach runs
		// systemd-run through its System). --receive and --follow never
		// open the machine: they read and write DIR only, the deploy's own
		// folder that the caller names (as tar -x would), not state that
		// gocfg manages, so they need no root and no System.
		Annotations: sysAnnotations(sysReal),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = args[0]
			return runF(cmd.Context(), opts)
		},
	}
	opts.Machine.cmd = cmd
	nonEmptyVar(cmd.Flags(), &opts.Machine.Root, "root", "", "relocate the machine under `DIR` (tests)", "to manage this machine itself")
	_ = cmd.Flags().MarkHidden("root")
	cmd.Flags().BoolVar(&opts.Missing, "missing", false, "print the files of the manifest on stdin that the previous bundle next to DIR lacks")
	cmd.Flags().BoolVar(&opts.Receive, "receive", false, "extract the bundle on stdin into DIR")
	cmd.Flags().BoolVar(&opts.Detach, "detach", false, "start the agent on DIR detached from the connection, and return")
	cmd.Flags().BoolVar(&opts.Follow, "follow", false, "print DIR/log as it grows until the agent has a state to report, then the state")
	cmd.Flags().BoolVar(&opts.Confirm, "confirm", false, "confirm the agent's switch")
	cmd.Flags().BoolVar(&opts.Refuse, "refuse", false, "refuse the agent's switch: it rolls back at once")
	cmd.Flags().IntVar(&opts.ConfirmTimeout, "confirm-timeout", 0, "roll back unless confirmed within `S` seconds (0: no magic rollback)")
	cmd.Flags().StringVar(&opts.BackupExt, "backup-ext", "", "with the agent and --detach: the switch's and rollback's --backup-ext `EXT`")
	cmd.Flags().Int64Var(&opts.From, "from", 0, "with --follow: print the log from byte `N`")
	markExclusive(cmd, "missing", "receive", "detach", "follow", "confirm", "refuse")
	return cmd
}

func runDeployAgent(ctx context.Context, opts *deployAgentOptions) error {
	flags := opts.Machine.cmd.Flags()
	if opts.ConfirmTimeout < 0 {
		return fmt.Errorf("--confirm-timeout %d: not a number of seconds", opts.ConfirmTimeout)
	}
	if flags.Changed("confirm-timeout") && (opts.Missing || opts.Receive || opts.Follow || opts.Confirm || opts.Refuse) {
		return withHints(errors.New("--confirm-timeout applies to the agent and --detach only"), "see: gocfg deploy-agent --help")
	}
	if flags.Changed("from") && !opts.Follow {
		return withHints(errors.New("--from applies to --follow only"), "see: gocfg deploy-agent --help")
	}
	if opts.From < 0 {
		return fmt.Errorf("--from %d: not a byte offset", opts.From)
	}
	dir := opts.Dir
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(opts.Env.WorkDir, dir)
	}
	dir = filepath.Clean(dir)
	// Root writes below the deploy folder by path (the bundle's files,
	// their modes, the last link, pruning) and reads the previous bundle
	// there: only root and the user gocfg trusts may change it (tester
	// AP: a folder of another user's on its way let her swap a folder
	// of the bundle for a link while --receive extracted it, and root's
	// chmod made a root-only file readable). The deploying side checks
	// the same before it runs gocfg from there (deploy's wayCheck).
	if _, _, err := rootWay(opts.Env, filepath.Dir(dir), "the deploy folder:"); err != nil {
		return err
	}
	switch {
	case opts.Missing:
		return agentMissing(opts, dir)
	case opts.Receive:
		return agentReceive(opts, dir)
	case opts.Detach:
		return agentDetach(ctx, opts, dir)
	case opts.Follow:
		return agentFollow(ctx, opts, dir)
	case opts.Confirm:
		return agentConfirm(opts, dir)
	case opts.Refuse:
		return agentRefuse(dir)
	}
	return runAgent(ctx, opts, dir)
}

// lastBundle is the previous bundle received next to dir: the link
// deploy.LastLink in its parent folder.
func lastBundle(dir string) string { return filepath.Join(filepath.Dir(dir), deploy.LastLink) }

// agentMissing reads a manifest on stdin and prints the paths of its
// files that the previous bundle next to dir lacks, as a JSON list.
func agentMissing(opts *deployAgentOptions, dir string) error {
	data, err := io.ReadAll(io.LimitReader(opts.Machine.cmd.InOrStdin(), 256<<20))
	if err != nil {
		return err
	}
	var m bundle.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("the manifest on stdin: %w", err)
	}
	missing := m.Missing(lastBundle(dir))
	if missing == nil {
		missing = []string{}
	}
	js, err := json.Marshal(missing)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(opts.Env.Stdout, "%s\n", js)
	return err
}

// agentReceive extracts the bundle on stdin into dir (a new folder, or an
// empty one; its parent must exist), taking the files the stream does not
// hold from the previous bundle next to it; then dir is the previous
// bundle. What it wrote is removed on an error.
func agentReceive(opts *deployAgentOptions, dir string) error {
	_, err := os.Lstat(dir)
	fresh := errors.Is(err, fs.ErrNotExist)
	if err := bundle.ExtractReusing(opts.Machine.cmd.InOrStdin(), dir, lastBundle(dir)); err != nil {
		if fresh {
			_ = os.RemoveAll(dir)
		}
		return err
	}
	if _, err := bundle.Read(dir); err != nil {
		if fresh {
			_ = os.RemoveAll(dir)
		}
		return err
	}
	if err := setLast(dir); err != nil {
		return err
	}
	pruneRuns(opts.Env.Stderr, dir)
	return nil
}

// keepRuns is how many deploy folders (run-<id>) a host keeps: the one
// just received and the one before.
const keepRuns = 2

// pruneRuns removes the deploy folders next to dir (run-<id>, in the
// order of their ids, which start with the time) but dir and the newest
// others, keepRuns in all. A folder whose agent is at work (running or
// awaiting confirmation) stays. What it cannot remove it warns about.
func pruneRuns(w io.Writer, dir string) {
	parent := filepath.Dir(dir)
	if !strings.HasPrefix(filepath.Base(dir), "run-") {
		return
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		fmt.Fprintf(w, "gocfg: warning: remove the old deploy folders: %v\n", err)
		return
	}
	var runs []string
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), "run-") && e.Name() != filepath.Base(dir) {
			runs = append(runs, e.Name())
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(runs)))
	for i, name := range runs {
		if i < keepRuns-1 {
			continue
		}
		p := filepath.Join(parent, name)
		if st, ok, err := readAgentStatus(p); err == nil && ok && (st.State == deploy.StateRunning || st.State == deploy.StateAwaiting) {
			continue
		}
		if err := os.RemoveAll(p); err != nil {
			fmt.Fprintf(w, "gocfg: warning: remove the old deploy folder: %v\n", err)
		}
	}
}

// setLast points the link deploy.LastLink next to dir to dir (relative),
// replacing it atomically.
func setLast(dir string) error {
	var r [6]byte
	if _, err := rand.Read(r[:]); err != nil {
		return err
	}
	tmp := filepath.Join(filepath.Dir(dir), "."+deploy.LastLink+"-"+hex.EncodeToString(r[:]))
	if err := os.Symlink(filepath.Base(dir), tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, lastBundle(dir)); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return nil
}

// The confirmation file holds who made it first: --confirm, or the
// agent when its time ran out (so a late --confirm knows it lost).
// --refuse marks it so that the agent rolls back at once.
const (
	confirmedMark = "confirmed\n"
	expiredMark   = "expired\n"
	refusedMark   = "refused\n"
)

// agentRefuse refuses the agent's switch: it makes DIR/confirm holding
// refusedMark, on the same rule as --confirm (the first to make the file
// decides), and the agent, which looks for it while it waits, rolls back
// at once. It fails only when the switch was confirmed first; refusing
// one that rolled back (or is rolling back), or again, is fine.
func agentRefuse(dir string) error {
	st, ok, err := readAgentStatus(dir)
	if err != nil {
		return err
	}
	if !ok {
		return withHints(fmt.Errorf("%s: no deploy agent was started there (no %s)", dir, deploy.AgentStatusFile), "start one with gocfg deploy-agent --detach")
	}
	won, err := markConfirm(dir, refusedMark)
	if err != nil || won {
		return err
	}
	mark, err := os.ReadFile(filepath.Join(dir, deploy.AgentConfirmFile))
	if err != nil {
		return err
	}
	if string(mark) == confirmedMark {
		return fmt.Errorf("too late: the switch was confirmed first (the deploy agent is %s)", st.State)
	}
	return nil
}

// agentConfirm confirms the agent's switch: it makes DIR/confirm, unless
// the agent finished otherwise or its time ran out first.
func agentConfirm(opts *deployAgentOptions, dir string) error {
	st, ok, err := readAgentStatus(dir)
	if err != nil {
		return err
	}
	if !ok {
		return withHints(fmt.Errorf("%s: no deploy agent was started there (no %s)", dir, deploy.AgentStatusFile), "start one with gocfg deploy-agent --detach")
	}
	mark, err := os.ReadFile(filepath.Join(dir, deploy.AgentConfirmFile))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err != nil && st.State != deploy.StateRunning && st.State != deploy.StateAwaiting {
		return agentFinished(st)
	}
	if err != nil {
		won, err := markConfirm(dir, confirmedMark)
		if err != nil {
			return err
		}
		if won {
			return nil
		}
		if mark, err = os.ReadFile(filepath.Join(dir, deploy.AgentConfirmFile)); err != nil {
			return err
		}
	}
	if string(mark) == confirmedMark {
		return nil // confirmed before (a retry)
	}
	if string(mark) == refusedMark {
		return errors.New("the switch was refused (deploy-agent --refuse): the deploy agent rolls it back")
	}
	// The agent's time ran out first: say how it ended, if it has.
	if st, _, err := readAgentStatus(dir); err == nil && st.State != deploy.StateAwaiting && st.State != deploy.StateRunning {
		return agentFinished(st)
	}
	return errors.New("too late: the deploy agent was not confirmed in time and is rolling back")
}

// agentFinished is the error of a --confirm that comes after the agent
// finished without waiting for one.
func agentFinished(st agentStatus) error {
	msg := fmt.Sprintf("the deploy agent has finished: %s", st.State)
	if st.Error != "" {
		msg += ": " + st.Error
	}
	return fmt.Errorf("%s; there is nothing to confirm", msg)
}

// markConfirm makes DIR/confirm holding mark, unless it exists: it
// reports whether it made it. The file appears whole (a link to a
// written file), so a reader never sees it empty.
func markConfirm(dir, mark string) (bool, error) {
	tmp, err := os.CreateTemp(dir, ".confirm-*")
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(mark)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return false, err
	}
	err = os.Link(tmp.Name(), filepath.Join(dir, deploy.AgentConfirmFile))
	if errors.Is(err, fs.ErrExist) {
		return false, nil
	}
	return err == nil, err
}

// agentStatus is deploy.Status.
type agentStatus = deploy.Status

// readAgentStatus reads DIR/status; ok is false when there is none.
func readAgentStatus(dir string) (agentStatus, bool, error) {
	var st agentStatus
	p := filepath.Join(dir, deploy.AgentStatusFile)
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return st, false, nil
	}
	if err != nil {
		return st, false, err
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return st, false, fmt.Errorf("%s: %w", p, err)
	}
	return st, true, nil
}

// writeAgentStatus replaces DIR/status with st, atomically.
func writeAgentStatus(dir string, st agentStatus) error {
	if len(st.Error) > maxStatusError {
		cut := len(st.Error) - maxStatusError
		for cut < len(st.Error) && !utf8.RuneStart(st.Error[cut]) {
			cut++
		}
		st.Error = "…" + st.Error[cut:]
	}
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return renameio.WriteFile(filepath.Join(dir, deploy.AgentStatusFile), append(data, '\n'), 0o644)
}

// maxStatusError bounds the error a status carries: its last bytes (a
// failing command's output may be long; reviewer R16: the deploying side
// takes a status line of over 1 MiB for none).
const maxStatusError = 64 << 10

// reportable says whether --follow stops at the agent's state: every
// state but running, and awaiting-confirm only while nobody decided yet
// (once DIR/confirm exists the agent is about to switch or roll back:
// --follow waits for that).
func reportable(dir, state string) bool {
	if state == deploy.StateAwaiting {
		_, err := os.Lstat(filepath.Join(dir, deploy.AgentConfirmFile))
		return err != nil
	}
	return state != deploy.StateRunning
}

// exitOf runs cmd, a gocfg command built for env, with args and returns
// its exit code as gocfg would exit with it, printing its error on
// env.Stderr as run does.
func exitOf(ctx context.Context, cmd *cobra.Command, env *Env, args []string) (int, error) {
	cmd.SetArgs(args)
	cmd.SetOut(env.Stdout)
	cmd.SetErr(env.Stderr)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return exitOK, nil
	}
	var reported reportedError
	if errors.As(err, &reported) {
		return exitError, err
	}
	var code exitCodeError
	if errors.As(err, &code) {
		return int(code), err
	}
	w := &diagnostics.Writer{Out: env.Stderr, Color: env.ColorErr, RelTo: env.WorkDir}
	var h hintError
	if errors.As(err, &h) {
		_ = w.Error(h.err, h.hints...)
	} else {
		_ = w.Error(err)
	}
	return exitError, err
}
