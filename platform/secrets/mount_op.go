package secrets

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/gocfg/gocfg/internal/mountinfo"
	"github.com/gocfg/gocfg/platform/system"
)

// MountOp makes /run/gocfg/secrets.d, mode 0751, on a RAM file system:
// when /proc/self/mountinfo says the folder is on a tmpfs or ramfs
// already it is used, else a tmpfs is mounted on it. Offline (--root)
// only the folder is made. Undo leaves the folder (empty) in place.
type MountOp struct {
	Dir     string `json:"dir"`
	Offline bool   `json:"offline,omitempty"`
}

// Describe says what the op does.
func (o *MountOp) Describe() string { return "make " + o.Dir + " on a RAM file system" }

// Apply makes the folder and mounts a tmpfs on it if need be.
func (o *MountOp) Apply(ctx context.Context, sys system.System) error {
	if err := sys.MkdirAll(filepath.Dir(o.Dir), 0o755); err != nil {
		return err
	}
	fi, err := sys.Lstat(o.Dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := sys.Mkdir(o.Dir, 0o751); err != nil {
			return err
		}
	case err != nil:
		return err
	case !fi.IsDir():
		return fmt.Errorf("%s: not a folder (%s): move it away", o.Dir, fi.Mode().Type())
	}
	if o.Offline {
		return sys.Chmod(o.Dir, 0o751)
	}
	ram, err := onRAM(sys, o.Dir)
	if err != nil {
		return err
	}
	if !ram {
		out, err := sys.Run(ctx, system.Command{Path: "mount", Args: []string{"-t", "tmpfs", "-o", "nodev,nosuid,noexec,mode=0751", "gocfg-secrets", o.Dir}, UID: -1, GID: -1})
		if err != nil {
			return fmt.Errorf("%s: mount a tmpfs: %w: %s", o.Dir, err, bytes.TrimSpace(out))
		}
	}
	return sys.Chmod(o.Dir, 0o751)
}

// Undo leaves the folder: it is empty once the sets are undone.
func (o *MountOp) Undo(context.Context, system.System) error { return nil }

// UndoChecksItself marks MountOp platform.SelfChecking: its Undo does
// nothing.
func (*MountOp) UndoChecksItself() {}

// onRAM reports whether dir is on a tmpfs or ramfs: the file system of
// the longest mount point above it in /proc/self/mountinfo.
func onRAM(sys system.System, dir string) (bool, error) {
	data, err := sys.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return false, fmt.Errorf("find the file system of %s: %w", dir, err)
	}
	best, fstype := "", ""
	for _, m := range mountinfo.Parse(string(data)) {
		if within(m.MountPoint, dir) && len(m.MountPoint) >= len(best) {
			best, fstype = m.MountPoint, m.FSType
		}
	}
	return fstype == "tmpfs" || fstype == "ramfs", nil
}
