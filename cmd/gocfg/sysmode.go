package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

// A sysMode is how a command may touch the machine, and so the System
// stack openMachine builds for it (as chezmoi picks its System from each
// command's annotations). Every command that opens the machine declares
// its mode in its annotations (sysAnnotations); openMachine reads it, and
// no command builds a System of its own.
type sysMode string

const (
	// sysReadOnly: the command changes nothing. Reads pass; every change,
	// and every command not marked as a query, fails with
	// system.ErrReadOnly (system.ReadOnly). plan, status, generations
	// list and diff, store verify (real with --repair).
	sysReadOnly sysMode = "read-only"
	// sysReal: the command changes the machine (system.Real). switch,
	// rollback, generations delete and gc, deploy-agent. With its --dry-run
	// flag set it runs as sysDryRun instead. deploy-agent's --receive and
	// --follow never open the machine: they only read and write the
	// deploy's folder the caller names, so they need no root.
	sysReal sysMode = "real"
	// sysDryRun: a sysReal command under --dry-run. Reads pass, changes
	// are recorded and not made (system.DryRun). It is never declared.
	sysDryRun sysMode = "dry-run"
)

// The annotations that declare a command's mode.
const (
	// sysModeKey holds the declared sysMode: sysReadOnly or sysReal.
	sysModeKey = "gocfg:system"
	// sysWritesWithKey, on a sysReadOnly command, names a flag that makes
	// it sysReal when set (a check that repairs with --repair).
	sysWritesWithKey = "gocfg:system-writes-with"
	// dryRunFlag is the flag that makes a sysReal command sysDryRun.
	dryRunFlag = "dry-run"
)

// sysAnnotations declares mode on a command. For sysReadOnly, writesWith
// may name the one flag under which the command changes the machine
// after all.
func sysAnnotations(mode sysMode, writesWith ...string) map[string]string {
	a := map[string]string{sysModeKey: string(mode)}
	if len(writesWith) > 0 {
		a[sysWritesWithKey] = writesWith[0]
	}
	return a
}

// commandSysMode returns the mode cmd runs in, from its annotations and
// flags: the declared mode; sysDryRun for a sysReal command whose
// --dry-run is set; sysReal for a sysReadOnly command whose writes-with
// flag is set. A command that declares no mode is an error: it fails
// closed instead of getting a System that writes.
func commandSysMode(cmd *cobra.Command) (sysMode, error) {
	if cmd == nil {
		return "", fmt.Errorf("internal error: the machine is opened for no command (machineFlags.register was not called)")
	}
	mode := sysMode(cmd.Annotations[sysModeKey])
	switch mode {
	case sysReadOnly:
		if f := cmd.Annotations[sysWritesWithKey]; f != "" && flagSet(cmd, f) {
			return sysReal, nil
		}
		return sysReadOnly, nil
	case sysReal:
		if flagSet(cmd, dryRunFlag) {
			return sysDryRun, nil
		}
		return sysReal, nil
	}
	return "", fmt.Errorf("internal error: %s declares no way to touch the machine (annotation %s = %q; want %s or %s)",
		cmd.CommandPath(), sysModeKey, mode, sysReadOnly, sysReal)
}

// flagSet reports whether cmd has the boolean flag name and it is true.
func flagSet(cmd *cobra.Command, name string) bool {
	v, err := cmd.Flags().GetBool(name)
	return err == nil && v
}
