package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/gocfg/gocfg/deploy"
	"github.com/gocfg/gocfg/deploy/bundle"
	"github.com/gocfg/gocfg/platform/system"
)

// agentDetach starts the agent on dir detached from the SSH connection,
// so that a dropped connection cannot kill a switch half way (nixpkgs
// #39118), and returns once it is started. Where systemd is the init
// (Linux, not under --root) the agent is a transient unit of its own:
//
//	systemd-run --unit gocfg-deploy-<random> --collect --quiet --property=Type=exec [--setenv=SUDO_UID=N] -- <gocfg> deploy-agent [--confirm-timeout S] DIR
//
// run through the machine's System. Elsewhere (no systemd, macOS for
// now, and under --root, where systemd-run would reach the machine that
// builds the tree) it is a child in a session of its own (setsid), its
// output going to DIR/log, not waited for. The status is running before
// it returns, so --follow never finds nothing.
func agentDetach(ctx context.Context, opts *deployAgentOptions, dir string) error {
	env := opts.Env
	// As the agent's switch will (prepareBundle), before a file of it is
	// read as root.
	if err := untrustedTree(env, dir, "the deploy bundle:"); err != nil {
		return err
	}
	if _, err := bundle.Read(dir); err != nil {
		return err
	}
	if _, ok, err := readAgentStatus(dir); err != nil || ok {
		if err == nil {
			err = fmt.Errorf("%s: a deploy agent was started there already", dir)
		}
		return withHints(err, "send the bundle to a new folder for each deploy")
	}
	m, err := openMachine(env, opts.Machine)
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find the gocfg binary to run the agent: %w", err)
	}
	args := []string{"deploy-agent"}
	if opts.ConfirmTimeout > 0 {
		args = append(args, "--confirm-timeout", strconv.Itoa(opts.ConfirmTimeout))
	}
	if m.rooted {
		args = append(args, "--root", m.rootDir)
	}
	if opts.BackupExt != "" {
		args = append(args, "--backup-ext", opts.BackupExt)
	}
	args = append(args, dir)
	logf, err := os.OpenFile(filepath.Join(dir, deploy.AgentLogFile), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer logf.Close()
	if err := writeAgentStatus(dir, agentStatus{State: deploy.StateRunning}); err != nil {
		return err
	}
	how := ""
	if m.os == "linux" && env.OS == "linux" && !m.rooted && systemdBooted() {
		how, err = startUnit(ctx, m.sys, self, args, sudoUID(env))
	} else {
		how, err = startSession(self, args, logf)
	}
	if err != nil {
		err = fmt.Errorf("start the deploy agent: %w", err)
		if werr := writeAgentStatus(dir, agentStatus{State: deploy.StateFailed, Error: err.Error()}); werr != nil {
			err = errors.Join(err, werr)
		}
		return err
	}
	fmt.Fprintf(env.Stderr, "gocfg: deploy agent started (%s)\n", how)
	return nil
}

// systemdBooted reports whether systemd is the init, as sd_booted(3)
// tells.
func systemdBooted() bool {
	fi, err := os.Lstat("/run/systemd/system")
	return err == nil && fi.IsDir()
}

// startUnit runs the agent as a transient systemd unit with a random
// name; --collect removes it once it ended, failed or not. The unit's
// environment is the manager's, not sudo's: the user who ran --detach
// through sudo (trusted, a uid above 0) is given to it as SUDO_UID, so
// that its switch trusts the bundle she unpacked in her cache as this
// command did (trustPolicy).
func startUnit(ctx context.Context, sys system.System, self string, args []string, trusted int) (string, error) {
	run, err := exec.LookPath("systemd-run")
	if err != nil {
		return "", err
	}
	var r [6]byte
	if _, err := rand.Read(r[:]); err != nil {
		return "", err
	}
	unit := "gocfg-deploy-" + hex.EncodeToString(r[:])
	argv := []string{"--unit", unit, "--collect", "--quiet", "--property=Type=exec"}
	if trusted > 0 {
		argv = append(argv, "--setenv=SUDO_UID="+strconv.Itoa(trusted))
	}
	argv = append(append(argv, "--", self), args...)
	if _, err := sys.Run(ctx, system.Command{Path: run, Args: argv, UID: -1, GID: -1}); err != nil {
		return "", err
	}
	return "unit " + unit + ".service", nil
}

// startSession runs the agent as a child in a new session, with no
// terminal, its output to log, and does not wait for it: the end of the
// SSH session (its SIGHUP, its closed pipes) does not reach it.
func startSession(self string, args []string, log *os.File) (string, error) {
	null, err := os.Open(os.DevNull)
	if err != nil {
		return "", err
	}
	defer null.Close()
	cmd := exec.Command(self, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = null, log, log
	cmd.Dir = "/"
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	pid := cmd.Process.Pid
	if err := cmd.Process.Release(); err != nil {
		return "", err
	}
	return "pid " + strconv.Itoa(pid), nil
}
