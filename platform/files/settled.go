package files

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"syscall"
	"time"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/internal/filestat"
	"github.com/gocfg/gocfg/internal/mountinfo"
)

// A no-op switch reads every managed link (one readlinkat each: 10,000
// for the dotfiles benchmark, about a fifth of its CPU), though a link
// can change only by being replaced, which changes its folder. So, per
// folder of managed links, the plan keeps in the store's settled-folders
// cache (generations.SettledFolder) the folder's stat signature when
// every managed link in it was found as the current generation records
// it, and the next plan that finds the folder with the same signature,
// and the same records for its links, takes the links from the records
// instead of reading them. The folder's stat costs nothing more: the
// plan reads every folder on the way to a managed file (checkFolders)
// before it reads the links.
//
// When a folder's signature is not trusted (it is then read, and not
// recorded):
//
//   - its mtime or ctime is within settledMargin of the plan's start: a
//     change in the same tick of the file system's clock as the one
//     before would leave them as they are (git's "racily clean" entries);
//   - neither time has a fraction of a second: the file system keeps
//     whole seconds (ext3, FAT, HFS+), and a second is a wide tick;
//   - it is not on a local file system of localFS, found by its device
//     in /proc/self/mountinfo (Linux only: elsewhere every link is read).
//     A network file system stamps times with the server's clock and
//     caches attributes on the client, so its signatures say less;
//   - it is not a plain folder (a link to one, which checkFolders
//     resolves), or the plan has no store (tests).
//
// Nobody but root can set a ctime back, and a folder put in the place of
// another has another inode, or (the same inode number, reused) a later
// ctime. A settled folder only spares reads: what the plan then finds
// as wanted it leaves alone, and every op that replaces a path still
// checks what is there first.
const settledMargin = 100 * time.Millisecond

// localFS are the file systems whose folders' signatures are trusted:
// local, stamped by this kernel's clock in nanoseconds.
var localFS = map[string]bool{
	"ext2": true, "ext3": true, "ext4": true, "xfs": true, "btrfs": true,
	"tmpfs": true, "f2fs": true, "zfs": true, "bcachefs": true,
}

// LocalFS reports whether folders on a file system of type fstype (as
// /proc/self/mountinfo names it) can be settled.
func LocalFS(fstype string) bool { return localFS[fstype] }

// settled is one plan's use of the settled-folders cache.
type settled struct {
	store *generations.Store
	now   time.Time
	// local maps a device (major:minor) to whether it is on localFS.
	local map[string]bool
	// folders maps each folder of desired files to their indices in
	// pl.d.files; skipped are those skip took from the records.
	folders map[string][]int
	skipped map[string]bool
}

// newSettled prepares the plan's use of the cache; nil when there is
// nothing to use (no store, no mount table).
func (pl *planner) newSettled() *settled {
	l := pl.l
	if l.Store == nil || len(pl.d.files) == 0 {
		return nil
	}
	data, err := l.Sources().ReadFile("/proc/self/mountinfo")
	if err != nil {
		return nil
	}
	s := &settled{store: l.Store, now: l.Clock(), local: map[string]bool{}, folders: map[string][]int{}, skipped: map[string]bool{}}
	for _, m := range mountinfo.Parse(string(data)) {
		s.local[m.Dev] = localFS[m.FSType]
	}
	for i, f := range pl.d.files {
		dir := filepath.Dir(f.Path)
		s.folders[dir] = append(s.folders[dir], i)
	}
	return s
}

// skip takes the links of every folder the cache has with its present
// signature from the records, into pl.lives, and reports which files it
// did; their links need not be read.
func (s *settled) skip(pl *planner) []bool {
	done := make([]bool, len(pl.d.files))
	for dir, idx := range s.folders {
		sig, ok := s.signature(pl, dir)
		if !ok {
			continue
		}
		known, ok := s.store.Settled(dir)
		if !ok || known.Dev != sig.Dev || known.Ino != sig.Ino || known.Mtime != sig.Mtime || known.Ctime != sig.Ctime {
			continue
		}
		links, ok := s.links(pl, idx, nil)
		if !ok || links != known.Links {
			continue
		}
		for _, i := range idx {
			pl.lives[i] = live{kind: isLink, target: pl.appliedFiles[pl.d.files[i].Path].Target}
			done[i] = true
		}
		s.skipped[dir] = true
	}
	return done
}

// record keeps, for each folder read, its signature when every link in
// it was found as the records say (lives and errs as read), and forgets
// the others; the cache has the skipped ones already.
func (s *settled) record(pl *planner, errs []error) {
	for dir, idx := range s.folders {
		if s.skipped[dir] {
			continue
		}
		sig, ok := s.signature(pl, dir)
		if ok {
			sig.Links, ok = s.links(pl, idx, errs)
		}
		s.store.Settle(dir, sig, ok)
	}
}

// signature is the folder dir's signature as checkFolders read it, when
// it can be trusted.
func (s *settled) signature(pl *planner, dir string) (generations.SettledFolder, bool) {
	ds := pl.dirs[dir]
	if ds == nil || ds.live.kind != isDir || ds.live.info == nil {
		return generations.SettledFolder{}, false
	}
	st, ok := ds.live.info.Sys().(*syscall.Stat_t)
	if !ok {
		return generations.SettledFolder{}, false
	}
	dev, name := deviceOf(st)
	if !s.local[name] {
		return generations.SettledFolder{}, false
	}
	mtime, ctime := filestat.Times(st)
	newest := max(mtime, ctime)
	if mtime%int64(time.Second) == 0 && ctime%int64(time.Second) == 0 || s.now.UnixNano()-newest < int64(settledMargin) {
		return generations.SettledFolder{}, false
	}
	return generations.SettledFolder{Dev: dev, Ino: st.Ino, Mtime: mtime, Ctime: ctime}, true
}

// links is the digest of the names and recorded targets of the files
// idx, when each has a record of a link; with errs (after reading),
// only when each was also found as that link.
func (s *settled) links(pl *planner, idx []int, errs []error) (string, bool) {
	h := sha256.New()
	for _, i := range idx {
		f := pl.d.files[i]
		a := pl.appliedFiles[f.Path]
		if a == nil || a.Target == "" || a.Method != "link" && a.Method != "live" {
			return "", false
		}
		if errs != nil && (errs[i] != nil || pl.lives[i].kind != isLink || pl.lives[i].target != a.Target) {
			return "", false
		}
		h.Write([]byte(filepath.Base(f.Path)))
		h.Write([]byte{0})
		h.Write([]byte(a.Target))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)), true
}
