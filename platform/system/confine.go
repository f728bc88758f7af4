package system

import (
	"path/filepath"
	"strings"
	"sync"
)

// Confinement is the privilege boundary of DESIGN.md §7 inside the System
// seam: a folder whose contents another account controls (a user's home
// when root switches it) is registered with Confine, and from then on
// every file operation that Real is asked to do on a path below that
// folder is carried out relative to a descriptor of the folder:
//
//   - the folder itself is opened once by walking its resolved path from
//     / with O_NOFOLLOW on every component, so a link the user plants in
//     place of the folder is refused, not followed;
//   - the folders on the way to a path are resolved with openat2(2) and
//     RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS from that descriptor (links
//     that stay inside are followed, links that lead out, absolute links
//     and /proc magic links are refused with ErrOutside); where the kernel
//     has no openat2 (before Linux 5.6, macOS), every component is opened
//     with O_NOFOLLOW, so no link on the way is followed at all;
//   - the last component is never followed: fstatat, readlinkat,
//     unlinkat, renameat, symlinkat, mkdirat and linkat relative to the
//     parent's descriptor, files opened with O_NOFOLLOW, modes and owners
//     changed on a descriptor (fchmod, fchownat with AT_EMPTY_PATH);
//   - files are read only when they are regular files (a FIFO or a device
//     the user planted cannot make root hang or read forever), and a mode
//     or owner is not changed on a file with other hard links that is not
//     already the new owner's (a hard link to a root-owned file where
//     fs.protected_hardlinks is off);
//   - replacing a file writes a temporary file named .gocfg-tmp-* beside
//     it (created O_EXCL, owned by root and 0600 until it is complete),
//     renamed over the path.
//
// A user who swaps folders at any moment therefore reaches only what they
// could already reach themselves: an operation acts on a folder that was
// beneath their home when it was resolved, and a folder the user moves
// elsewhere can only go where the user can write. EvalSymlinks is not
// confined: it reads names only (lstat, readlink), and callers use it to
// say where a link leads.
//
// Confine is for root: an ordinary user's own home needs no boundary.
type confinement struct {
	mu   sync.RWMutex
	dirs map[string]*confinedDir // host path → folder
}

// add registers dir (an absolute host path; cleaned).
func (c *confinement) add(dir string) {
	dir = filepath.Clean(dir)
	if !filepath.IsAbs(dir) || dir == "/" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dirs == nil {
		c.dirs = map[string]*confinedDir{}
	}
	if _, ok := c.dirs[dir]; !ok {
		c.dirs[dir] = newConfinedDir(dir)
	}
}

// lookupScan is how many confined folders lookup compares one by one
// with a name; with more, it looks up each of the name's parents.
const lookupScan = 8

// lookup returns the nearest confined folder strictly above name and
// name's slash path relative to it, or nil when name is not below one.
func (c *confinement) lookup(name string) (*confinedDir, string) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if len(c.dirs) == 0 || !filepath.IsAbs(name) {
		return nil, ""
	}
	// Every operation of Real comes here, so the parents of the clean
	// name are its prefixes up to each slash, taken without allocating
	// (filepath.Dir cleans and copies each one: 40 ms of a first switch
	// of 10,000 files). "/" is never confined (add), so it is not looked
	// up.
	name = filepath.Clean(name)
	if len(c.dirs) <= lookupScan {
		// A few homes: comparing each is cheaper than hashing every
		// parent of name (seven for a dotfile three folders deep).
		var near *confinedDir
		rel := ""
		for dir, d := range c.dirs {
			if len(name) > len(dir) && name[len(dir)] == '/' && name[:len(dir)] == dir && (near == nil || len(dir) > len(near.path)) {
				near, rel = d, name[len(dir)+1:]
			}
		}
		return near, rel
	}
	for i := strings.LastIndexByte(name, '/'); i > 0; i = strings.LastIndexByte(name[:i], '/') {
		if d, ok := c.dirs[name[:i]]; ok {
			return d, name[i+1:]
		}
	}
	return nil, ""
}

// LeasedHint is the remedy for ErrLeased: a file of a user's that she
// holds a lease on (the files provider's and the units' held conflicts).
const LeasedHint = "the process that holds the lease lets it go (see which with: lslocks or /proc/locks), then switch again"

// OutsideHint is the remedy for ErrOutside, and for a link that gocfg
// does not follow out of a home or /etc.
const OutsideHint = "gocfg does not follow links out of the home folder or /etc; replace the link with a folder, or point it inside"
