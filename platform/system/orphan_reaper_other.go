//go:build !linux

package system

import "os/exec"

// Where there is no child subreaper (macOS), a command run as another
// account ends with its session: what it started in a session of its
// own and left running is not found. Run's documentation says so.

func reapBegin() error { return nil }

func reapEnd() {}

func startReaped(cmd *exec.Cmd) error { return cmd.Start() }

func waited(int) {}

func sweepOrphans(int) error { return nil }

func exitedUnreaped(int) bool { return false }
