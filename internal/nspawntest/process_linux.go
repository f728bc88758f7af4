//go:build linux

package nspawntest

import (
	"os/exec"
	"sync"
)

// process is how a container runs on Linux: systemd-nspawn under
// unshare (see Boot), and what Stop must undo.
type process struct {
	unshare   *exec.Cmd // unshare, the parent of systemd-nspawn
	nspawn    int       // systemd-nspawn's PID
	exitErr   error     // unshare's exit (systemd-nspawn's status), once Container.exited is closed
	cgroup    string    // the container's cgroup name, in each hierarchy
	ephemeral string    // nspawn's ephemeral copy of the root file system
	stopOnce  sync.Once
	stopErr   error
}
