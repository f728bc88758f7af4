package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/internal/diagnostics"
	"github.com/spf13/cobra"
)

// Exit codes, documented in every command's help.
const (
	exitOK      = 0
	exitError   = 1
	exitChanges = 2
	// exitPartial: a switch (or a plan) that left some users' files as
	// they are because of conflicts in their home folders.
	exitPartial = 3
)

const exitCodesHelp = `

Exit codes:
  0  success
  1  error: invalid configuration (diagnostics on stderr), bad usage, or a failure`

// partialExitCodesHelp is exitCodesHelp for the commands that switch
// (or plan a switch), which can leave a user's home as it was (tester
// BE: gc's help listed 3, which it never gives).
const partialExitCodesHelp = exitCodesHelp + `
  3  partial: the files, secrets or units of a user whose home has a conflict
     were left as they are (warnings say which), everything else applied`

// rootExitCodesHelp is exitCodesHelp with, in the root's help only, the
// codes that some commands give and list in their own help (tester U:
// the root's help did not list 2).
const rootExitCodesHelp = `

Exit codes:
  0    success
  1    error: invalid configuration (diagnostics on stderr), bad usage, or a failure
  2    plan, status with --detailed-exitcode: the plan has changes, or there is drift
  3    plan, switch, rollback: partial; the files, secrets or units of a user whose home has a conflict
       were left as they are (warnings say which), everything else applied
  130  deploy interrupted by SIGINT (143: by SIGTERM); an interrupted switch exits 1`

// exitCodeError ends a command with that exit code and no message
// (`plan --detailed-exitcode`).
type exitCodeError int

func (e exitCodeError) Error() string { return fmt.Sprintf("exit code %d", int(e)) }

// reportedError is an error whose explanation was printed already.
type reportedError struct{ err error }

func (r reportedError) Error() string { return r.err.Error() }

// Unwrap lets a caller still ask what failed (reviewer R12: an ENOSPC
// inside a plan error shown already was not retried).
func (r reportedError) Unwrap() error { return r.err }

// hintError is an error with remedies to print after it.
type hintError struct {
	err   error
	hints []string
}

func (h hintError) Error() string { return h.err.Error() }
func (h hintError) Unwrap() error { return h.err }

func withHints(err error, hints ...string) error { return hintError{err: err, hints: hints} }

// A rootCommand is one of the root's commands: its name (the first word
// of its Use) and how to make it.
type rootCommand struct {
	name string
	make func(*Env) *cobra.Command
}

// rootCommands are the root's commands.
func rootCommands() []rootCommand {
	return []rootCommand{
		{"eval", func(env *Env) *cobra.Command { return newEvalCmd(env, runEval) }},
		{"check", func(env *Env) *cobra.Command { return newCheckCmd(env, runCheck) }},
		{"options", func(env *Env) *cobra.Command { return newOptionsCmd(env, runOptions) }},
		{"plan", func(env *Env) *cobra.Command { return newPlanCmd(env, runPlan) }},
		{"switch", func(env *Env) *cobra.Command { return newSwitchCmd(env, runSwitch) }},
		{"init", func(env *Env) *cobra.Command { return newInitCmd(env, runInit) }},
		{"update", func(env *Env) *cobra.Command { return newUpdateCmd(env, runUpdate) }},
		{"rollback", func(env *Env) *cobra.Command { return newRollbackCmd(env, runRollback) }},
		{"status", func(env *Env) *cobra.Command { return newStatusCmd(env, runStatus) }},
		{"generations", newGenerationsCmd},
		{"store", newStoreCmd},
		{"version", func(env *Env) *cobra.Command { return newVersionCmd(env, runVersion) }},
		{"doctor", func(env *Env) *cobra.Command { return newDoctorCmd(env, runDoctor) }},
		{"deploy-agent", func(env *Env) *cobra.Command { return newDeployAgentCmd(env, runDeployAgent) }},
		{"deploy", func(env *Env) *cobra.Command { return newDeployCmd(env, runDeploy) }},
		{"secrets", newSecretsCmd},
	}
}

// newRootCmd builds the command tree.
func newRootCmd(env *Env) *cobra.Command { return newRootCmdFor(env, nil) }

// newRootCmdFor builds the command tree that the command line args needs:
// when its first word is the name of one of the root's commands, the root
// with that command alone, which parses, runs, helps and fails the same,
// as nothing of a command's involves its siblings, for less than making
// all sixteen (0.25 ms of the 4 ms of a cached `gocfg eval`: every process
// pays it); the whole tree for anything else (the root's help, help,
// completion, an alias, a flag first, a mistake).
func newRootCmdFor(env *Env, args []string) *cobra.Command {
	root := &cobra.Command{
		Use:   "gocfg",
		Short: "Make this machine match the configuration in a dotfiles repository",
		Long: `gocfg merges the HCL modules of a dotfiles repository into one configuration
(NixOS module semantics), shows what differs from the live machine, applies it
and records it as a generation that can be rolled back.

Configuration location: --config, else $GOCFG_CONFIG, else ~/.config/gocfg.
A folder's entry module is hosts/<host>.hcl (host: --host or the short host
name), else default.hcl.` + rootExitCodesHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	cmds, one := rootCommands(), false
	for _, c := range cmds {
		if len(args) > 0 && args[0] == c.name {
			cmds, one = []rootCommand{c}, true
			break
		}
	}
	for _, c := range cmds {
		root.AddCommand(c.make(env))
	}
	registerGlobalFlags(root)
	registerCompletions(env, root)
	if one {
		// The root's own --version flag and cobra's completion command
		// are out of reach behind a command's name: neither is made
		// (0.3 ms of a cached `gocfg eval`).
		root.CompletionOptions.DisableDefaultCmd = true
	} else {
		setVersion(root)
		// cobra's completion command only groups the shells: made now, it
		// refuses an unknown shell (tester U: completion powershell2
		// printed the help and exited 0).
		root.InitDefaultCompletionCmd()
		if c, _, err := root.Find([]string{"completion"}); err == nil && c != root && c.Run == nil && c.RunE == nil {
			c.RunE = func(c *cobra.Command, _ []string) error { return c.Help() }
		}
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return withHints(err, fmt.Sprintf("see: %s --help", c.CommandPath()))
	})
	for _, c := range root.Commands() {
		c.Args = argsWithHint(c.Args)
	}
	return root
}

// globalFlags are the flags every command accepts, so that one alias or
// script line (gocfg --config DIR --root DIR …) serves every command: a
// command that uses one registers its own (configFlags, machineFlags,
// check's and eval's --os), which shadows the root's; any other command
// accepts it, before or after its name, and ignores it. They are hidden
// where they are ignored. An ignored --root never opens the machine, so
// each command's System mode stays the one it declares (sysmode.go).
var globalFlags = []struct{ name, shorthand, usage string }{
	{"config", "c", "configuration folder or entry module (ignored by this command)"},
	{"host", "", "host whose entry module is chosen (ignored by this command)"},
	{"root", "", "relocate the machine under `DIR` (ignored by this command)"},
	{"os", "", "platform: linux or darwin (ignored by this command)"},
}

// registerGlobalFlags adds globalFlags to root as hidden persistent
// flags whose values nothing reads.
func registerGlobalFlags(root *cobra.Command) {
	for _, g := range globalFlags {
		var ignored string
		root.PersistentFlags().StringVarP(&ignored, g.name, g.shorthand, "", g.usage)
		_ = root.PersistentFlags().MarkHidden(g.name)
	}
}

// groupCmd makes cmd a command that only groups subs (gocfg generations,
// secrets, store): it takes no argument and prints its help, and each
// sub's argument check points at that sub's help, as the root's
// commands' do.
func groupCmd(cmd *cobra.Command, subs ...*cobra.Command) *cobra.Command {
	cmd.Args = cobra.NoArgs
	cmd.RunE = func(cmd *cobra.Command, args []string) error { return cmd.Help() }
	for _, c := range subs {
		c.Args = argsWithHint(c.Args)
	}
	cmd.AddCommand(subs...)
	return cmd
}

// argsWithHint makes an argument check's error point at the help.
func argsWithHint(check cobra.PositionalArgs) cobra.PositionalArgs {
	if check == nil {
		return nil
	}
	return func(c *cobra.Command, args []string) error {
		if err := check(c, args); err != nil {
			return withHints(err, fmt.Sprintf("see: %s --help", c.CommandPath()))
		}
		return nil
	}
}

// run executes the command line and returns the exit code.
func run(ctx context.Context, args []string, env *Env) int {
	root := newRootCmdFor(env, args)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var reported reportedError
	if errors.As(err, &reported) {
		return exitError
	}
	var code exitCodeError
	if errors.As(err, &code) {
		return int(code)
	}
	w := &diagnostics.Writer{Out: env.Stderr, Color: env.ColorErr, RelTo: env.WorkDir}
	var h hintError
	if strings.HasPrefix(err.Error(), "unknown command") && !errors.As(err, &h) {
		// cobra's suggestions ("\n\nDid you mean this?\n\tswitch")
		// become the hint.
		first, rest, _ := strings.Cut(err.Error(), "\n")
		hint := "see: gocfg --help"
		if names := strings.Fields(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), "Did you mean this?"))); len(names) > 0 {
			hint = "did you mean: gocfg " + strings.Join(names, ", gocfg ") + "? (see: gocfg --help)"
		}
		err = withHints(errors.New(first), hint)
	}
	var lost *generations.LostCurrentError
	if errors.As(err, &lost) && !errors.As(err, &h) {
		err = withHints(err, lost.Hint())
	}
	if errors.As(err, &h) {
		_ = w.Error(h.err, appendDiskHint(h.hints, err, env.tree)...)
	} else {
		// The remedies an error carries inside (a step's error in a
		// switch's ApplyError: tester W's sudo that refused to go).
		_ = w.Error(err, appendDiskHint(errorHints(err), err, env.tree)...)
	}
	return exitError
}

// appendDiskHint adds to hints what to do about a file system that is
// full, over quota or read-only, where err says so (tester BB: each of
// these named the path and nothing to do). The path is the one the
// failed call named, as this machine has it: under --root, a path of
// the tree is named below it (tree; tester BG: df -h /var/lib/gocfg
// measured the host's disk, not the tree's).
func appendDiskHint(hints []string, err error, tree string) []string {
	where := "the file system it names"
	onHost := func(p string) string {
		if tree == "" || !filepath.IsAbs(p) || isInside(tree, p) || p == tree {
			return p
		}
		return filepath.Join(tree, p)
	}
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		where = "the file system holding " + onHost(pe.Path)
	} else if le := (*os.LinkError)(nil); errors.As(err, &le) {
		where = "the file system holding " + onHost(le.New)
	}
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return append(hints, "free space or inodes on "+where+" (df -h, df -i), then run the command again; gocfg generations gc removes stored contents that no generation uses")
	case errors.Is(err, syscall.EDQUOT):
		return append(hints, "the owner of what is written is over the disk quota on "+where+" (quota -v): free space, then run the command again")
	case errors.Is(err, syscall.EROFS):
		return append(hints, where+" is mounted read-only: mount it read-write, then run the command again")
	case errors.Is(err, syscall.EMFILE):
		// Tester BG: ulimit -n 20 gave "too many open files" alone.
		return append(hints, "gocfg ran out of open files: raise the limit (ulimit -n 1024 is plenty), then run the command again")
	case errors.Is(err, syscall.ENFILE):
		return append(hints, "the machine's table of open files is full (fs.file-max): close programs that hold many, or raise it (sysctl fs.file-max), then run the command again")
	}
	return hints
}
