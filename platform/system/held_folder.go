//go:build linux || darwin

package system

import (
	"errors"
	"io/fs"
	"sync"

	"golang.org/x/sys/unix"
)

// A heldFolder is the folder below a confined folder that the last link
// or folder was made in, kept open for the next ones: a switch makes the
// links of a folder one after another (10,000 dotfiles are 1,000 folders
// of ten), and the folders of a tree too, and each is then made with
// symlinkat or mkdirat (and given its owner and mode) on the folder's
// descriptor, without resolving the folder again. The folder was
// beneath the confined folder when it was resolved, which is what every
// confined operation guarantees: one resolved anew can be moved by its
// owner between the resolution and the call just the same, and can only
// be moved where that owner can write.
//
// Real drops it on every Remove, RemoveAll and Rename, so that a folder
// gocfg itself moved aside or removed is never the one a later link goes
// into; a call that fails with ENOENT on a folder held from before (the
// folder was deleted meanwhile) resolves it again and tries once more.
type heldFolder struct {
	mu  sync.Mutex
	rel string // the folder, a slash path below the confined folder
	fd  int
	ok  bool // fd is open
}

// drop closes the held folder, if any.
func (h *heldFolder) drop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.dropLocked()
}

func (h *heldFolder) dropLocked() {
	if h.ok {
		_ = unix.Close(h.fd)
		h.ok = false
	}
}

// inHeld calls f with a descriptor of the folder parent below d (a clean
// slash path, not ""): the held one when it is that folder, else parent
// resolved beneath d (as at resolves it), which is then held. Calls are
// serialised. name is the full host path, for errors.
func (d *confinedDir) inHeld(op, name, parent string, f func(dir int) error) error {
	h := &d.held
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ok && h.rel == parent {
		err := f(h.fd)
		if !errors.Is(err, unix.ENOENT) {
			return err
		}
	}
	h.dropLocked()
	root, err := d.open()
	if err != nil {
		return &fs.PathError{Op: op, Path: name, Err: innerError(err)}
	}
	fd, err := resolveBeneath(root, parent, unix.O_DIRECTORY|unix.O_CLOEXEC|oPathDir)
	if err != nil {
		return &fs.PathError{Op: op, Path: name, Err: err}
	}
	h.rel, h.fd, h.ok = parent, fd, true
	return f(fd)
}

// splitHeld splits rel into the folder a held descriptor can stand for
// and the last element; ok is false when rel has no folder (an entry of
// d itself, made from d's own descriptor) or its last element is not a
// name (at then says so).
func splitHeld(rel string) (parent, base string, ok bool) {
	i := len(rel) - 1
	for i >= 0 && rel[i] != '/' {
		i--
	}
	if i <= 0 {
		return "", "", false
	}
	parent, base = rel[:i], rel[i+1:]
	if !validBase(base) {
		return "", "", false
	}
	return parent, base, true
}

// dropHeld drops the held folder of every confined folder.
func (c *confinement) dropHeld() {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, d := range c.dirs {
		d.held.drop()
	}
}
