package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/gocfg/gocfg/platform"
	"github.com/spf13/cobra"
)

// doctorOptions are the inputs of `gocfg doctor`.
type doctorOptions struct {
	Env     *Env
	Machine machineFlags
	Config  configFlags
	JSON    bool
	// Git reads the git state of the configuration folder (gitStatus;
	// tests replace it).
	Git func(ctx context.Context, dir string) (repoState, error)
}

func newDoctorCmd(env *Env, runF func(context.Context, *doctorOptions) error) *cobra.Command {
	opts := &doctorOptions{Env: env, Git: gitStatus}
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check what this machine supports and whether gocfg's state is healthy",
		Long: `Print one line per check, each ok, warning or error with a hint, as chezmoi
doctor does: the gocfg version, the platform, who runs it, the configuration
folder and its git state (uncommitted changes; commits behind its upstream
as last fetched: doctor never fetches), the state folder's owner and mode
(root's when root runs gocfg; the store areas root's, each readable by its
user through an ACL), the room left on its file system (bytes and inodes:
a warning under 64 MiB or 1,000 inodes, an error when full), the state
lock and an interrupted switch, a summary of
gocfg store verify, the systemd system manager and the user managers of the
users whose units the current generation manages (and their linger), the
package manager, and on macOS Full Disk Access, defaults, launchctl and
Homebrew.

The home folder is shown as ~, so the output can be pasted in an issue.
Nothing is written. With --root DIR the tree under DIR is checked instead
of the machine.` + exitCodesHelp + `
  1  also: a check is an error (warnings do not change the exit code)`,
		Args:        cobra.NoArgs,
		Annotations: sysAnnotations(sysReadOnly),
		RunE:        func(cmd *cobra.Command, args []string) error { return runF(cmd.Context(), opts) },
	}
	opts.Machine.register(cmd)
	opts.Config.register(cmd)
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the checks as JSON")
	return cmd
}

// A checkResult is how a check went.
type checkResult string

const (
	checkOK      checkResult = "ok"
	checkWarning checkResult = "warning"
	checkError   checkResult = "error"
)

// A check is one line of gocfg doctor.
type check struct {
	Name    string      `json:"name"`
	Result  checkResult `json:"result"`
	Message string      `json:"message"`
	// Hint says what to do about a warning or an error.
	Hint string `json:"hint,omitempty"`
}

func okCheck(name, format string, args ...any) check {
	return check{Name: name, Result: checkOK, Message: fmt.Sprintf(format, args...)}
}

func warnCheck(name, hint, format string, args ...any) check {
	return check{Name: name, Result: checkWarning, Message: fmt.Sprintf(format, args...), Hint: hint}
}

func errCheck(name, hint, format string, args ...any) check {
	return check{Name: name, Result: checkError, Message: fmt.Sprintf(format, args...), Hint: hint}
}

func runDoctor(ctx context.Context, opts *doctorOptions) error {
	env := opts.Env
	m, err := openMachine(env, opts.Machine)
	if err != nil {
		return err
	}
	checks := doctorChecks(ctx, opts, m)
	for i := range checks {
		checks[i].Message = platform.Printable(tildeHome(env.Home, checks[i].Message))
		checks[i].Hint = platform.Printable(tildeHome(env.Home, checks[i].Hint))
	}
	if opts.JSON {
		err = platform.WriteJSON(env.Stdout, struct {
			Checks []check `json:"checks"`
		}{checks})
	} else {
		err = writeChecks(env.Stdout, checks)
	}
	if err != nil {
		return err
	}
	var failed []string
	for _, c := range checks {
		if c.Result == checkError {
			failed = append(failed, c.Name)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("%s failed: %s", plural(len(failed), "check"), strings.Join(failed, ", "))
	}
	return nil
}

// doctorChecks runs every check, in the order they are printed.
func doctorChecks(ctx context.Context, opts *doctorOptions, m *machine) []check {
	env := opts.Env
	checks := []check{versionCheck(), platformCheck(env, m), userCheck(env, m)}
	checks = append(checks, configChecks(ctx, opts, m)...)
	checks = append(checks, stateFolderCheck(m.sys, m.store.Dir(), m.hostPath(m.store.Dir()), m.privileged, env.EUID),
		stateSpaceCheck(m.hostPath(m.store.Dir()), m.privileged))
	if c, ok := stateTrustCheck(env, m); ok {
		checks = append(checks, c)
	}
	if c, ok := storeAreasCheck(m); ok {
		checks = append(checks, c)
	}
	checks = append(checks, lockCheck(m), storeCheck(m))
	switch m.os {
	case "linux":
		checks = append(checks, systemdChecks(ctx, m)...)
	case "darwin":
		checks = append(checks, macToolChecks(m.query, m.rooted)...)
	}
	checks = append(checks, packagesCheck(m.query, m.os, m.rooted))
	return checks
}

// writeChecks prints checks as a table: result, check, message and hint.
func writeChecks(w io.Writer, checks []check) error {
	width := len("CHECK")
	for _, c := range checks {
		width = max(width, len(c.Name))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-7s  %-*s  %s\n", "RESULT", width, "CHECK", "MESSAGE")
	for _, c := range checks {
		msg := c.Message
		if c.Hint != "" {
			msg += "; hint: " + c.Hint
		}
		fmt.Fprintf(&b, "%-7s  %-*s  %s\n", c.Result, width, c.Name, msg)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// tildeHome shows the home folder home as ~ in s.
func tildeHome(home, s string) string {
	home = strings.TrimSuffix(home, "/")
	if home == "" || s == "" {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, home)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := i + len(home)
		// Only the whole folder, as a whole path: not /home/alicex, nor
		// /tmp/r/home/alice.
		if (end < len(s) && s[end] != '/' && !strings.ContainsRune(" ,;:)'\"", rune(s[end]))) ||
			(i > 0 && !strings.ContainsRune(" (='\"", rune(s[i-1]))) {
			b.WriteString(s[:end])
			s = s[end:]
			continue
		}
		b.WriteString(s[:i])
		b.WriteString("~")
		s = s[end:]
	}
}
