package pathtrust

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"github.com/gocfg/gocfg/internal/filestat"
)

// A Looker looks at a way without following links: the machine's (OS),
// or a System's, which a --root tree and the tests see through.
type Looker interface {
	Lstat(name string) (fs.FileInfo, error)
	Readlink(name string) (string, error)
}

type osLooker struct{}

func (osLooker) Lstat(name string) (fs.FileInfo, error) { return os.Lstat(name) }
func (osLooker) Readlink(name string) (string, error)   { return os.Readlink(name) }

// OS looks at the machine's own file system.
var OS Looker = osLooker{}

// A Policy says who is trusted and what is looked at.
type Policy struct {
	// Trusted reports whether a uid is trusted (Trusting).
	Trusted func(uid int) bool
	// PrivateGroup, when set, reports whether gid is the private group
	// of uid, which no one else is in: a part that group may write
	// counts as written by its owner alone (umask 002 on Ubuntu and
	// Fedora, where each user has such a group; Debian's sshd takes it
	// the same way, its user-group-modes patch).
	PrivateGroup func(uid, gid int) bool
	// Leaf: the path itself may not be writable by others either (a
	// file or folder whose content matters, not only its place).
	Leaf bool
	// Missing: a part that does not exist, in a folder others may
	// create entries in (one with the sticky bit), is an exposure too:
	// they could make it before the path is used. Without, a part that
	// does not exist ends the walk (what comes after it is made by the
	// caller, or fails to be read).
	Missing bool
}

// maxLinks bounds the links followed on one way (the kernel's is 40).
const maxLinks = 40

// Exposure reports the first part of the way to path, from "/" down,
// that a user p does not trust could change: one owned by another user,
// or a folder that group or others may write in without the sticky bit
// (and, with p.Leaf, path itself writable by group or others). Every
// link met is checked for its owner and followed by hand, its target
// checked part by part in turn, so that no link of an untrusted user's
// is on the way, wherever it lies (reviewer R4: a root link to her link
// in /tmp, flipped between two targets, got her file read). where is ""
// when the way is safe. A relative path is refused: the caller makes it
// absolute against a folder it knows.
func Exposure(l Looker, path string, p Policy) (where, why string) {
	return walk(l, path, p, nil)
}

// walk is Exposure; known, when not nil (only with p.Leaf), holds
// folders (links resolved) already found safe, with their modes
// (fs.FileMode), and gets those found now; it may be shared by
// goroutines.
func walk(l Looker, path string, p Policy, known *sync.Map) (where, why string) {
	if !filepath.IsAbs(path) {
		return path, "is not an absolute path"
	}
	lookup := func(dir string) (fs.FileMode, bool) {
		if known == nil {
			return 0, false
		}
		m, ok := known.Load(dir)
		if !ok {
			return 0, false
		}
		return m.(fs.FileMode), true
	}
	rootMode, ok := lookup("/")
	if !ok {
		rootInfo, err := l.Lstat("/")
		if err != nil {
			return "/", unlooked(err)
		}
		if why := partExposure("/", rootInfo, p, true); why != "" {
			return "/", why
		}
		rootMode = rootInfo.Mode()
		if known != nil {
			known.Store("/", rootMode)
		}
	}
	cur, curMode := "/", rootMode
	// Not cleaned first: "link/.." is the link's target's parent, as the
	// kernel reads it, and what is checked is what is read (as
	// platform/passwordfiles' resolve walks).
	queue := strings.Split(strings.TrimPrefix(path, "/"), "/")
	links := 0
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		switch name {
		case "", ".":
			continue
		case "..":
			// Its parent, taken as checked: the way there was.
			cur = filepath.Dir(cur)
			if m, ok := lookup(cur); ok {
				curMode = m
			} else if fi, err := l.Lstat(cur); err == nil {
				curMode = fi.Mode()
			} else {
				return cur, unlooked(err)
			}
			continue
		}
		next := filepath.Join(cur, name)
		last := len(queue) == 0
		if m, ok := lookup(next); ok {
			// Found safe before, as a folder on a way or as the path
			// itself (known is only given with Leaf: the same check).
			cur, curMode = next, m
			continue
		}
		fi, err := l.Lstat(next)
		if err != nil {
			if !missing(err) {
				return next, unlooked(err)
			}
			if p.Missing && curMode&fs.ModeSticky != 0 && curMode.Perm()&0o022 != 0 {
				return next, missingWhy
			}
			return "", ""
		}
		if why := partExposure(next, fi, p, !last || p.Leaf); why != "" {
			return next, why
		}
		if last && p.Missing && linkedInShared(fi, curMode) {
			return next, sharedLinkWhy
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			links++
			target, err := l.Readlink(next)
			if err != nil || links > maxLinks {
				return next, "is a link that cannot be followed"
			}
			if filepath.IsAbs(target) {
				cur, curMode = "/", rootMode
			}
			queue = append(strings.Split(target, "/"), queue...)
			continue
		}
		if fi.IsDir() && known != nil {
			known.Store(next, fi.Mode())
		}
		cur, curMode = next, fi.Mode()
	}
	return "", ""
}

// missing reports whether err, an lstat's, says that the part does not
// exist (or that the part before it is not a folder): the read that
// follows fails the same way. Any other error (EACCES from a network
// file system that maps root to nobody, EIO, ELOOP) is no answer, and
// the walk refuses the way rather than take it as safe.
func missing(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}

// unlooked is why a part whose lstat failed with err is refused.
func unlooked(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Sprintf("%s (%v)", unlookedWhy, err)
}

// unlookedWhy begins the why of a part that could not be looked at.
const unlookedWhy = "cannot be looked at"

// Unlooked reports whether why (Exposure's) says that a part could not
// be looked at, rather than that another user could change it: its
// remedy is another (reviewer R6).
func Unlooked(why string) bool { return strings.HasPrefix(why, unlookedWhy) }

// PartExposure says why the file or folder fi describes, a part of a
// way whose links are checked otherwise (a repository's files, walked),
// could be changed by a user p does not trust ("" when it could not).
func PartExposure(path string, fi fs.FileInfo, p Policy) string {
	return partExposure(path, fi, p, true)
}

// partExposure says why the part at path, which fi describes, could be
// changed by an untrusted user ("" when it could not); written says
// whether who may write in it (or to it) counts.
func partExposure(path string, fi fs.FileInfo, p Policy, written bool) string {
	uid, gid := filestat.Owner(fi)
	return exposureOf(path, uid, gid, fi.Mode(), p, written)
}

// exposureOf is partExposure for a part of owner uid, group gid and
// mode.
func exposureOf(path string, uid, gid int, mode fs.FileMode, p Policy, written bool) string {
	if !p.Trusted(uid) {
		return fmt.Sprintf("is owned by uid %d", uid)
	}
	if mode&fs.ModeSymlink != 0 || !written {
		return ""
	}
	w := mode.Perm() & 0o022
	if w == 0o020 && p.PrivateGroup != nil && p.PrivateGroup(uid, gid) {
		// Written by its owner's private group: its owner alone. Not
		// with an access ACL whose named entries let others write: the
		// group bits are then its mask (tester AJ).
		if aclLetsOthersWrite(path, p.Trusted) {
			return fmt.Sprintf("has an ACL that lets others write (mode %#o)", mode.Perm())
		}
		w = 0
	}
	if w == 0 || (mode&fs.ModeSticky != 0 && mode.IsDir()) {
		return ""
	}
	if mode.IsDir() {
		return fmt.Sprintf("may be written by others (mode %#o, no sticky bit)", mode.Perm())
	}
	return fmt.Sprintf("may be written by others (mode %#o)", mode.Perm())
}

// EntriesExposure says why a user p does not trust could make a new
// entry in the folder at path, which fi describes ("" when none could):
// its owner is not trusted, or group or others may write in it. The
// sticky bit is no answer here: it keeps others from renaming or
// removing what is there, not from adding a name (reviewer R23: a
// pattern of ssh's Include in /tmp matched the file she made there
// after gocfg had checked the ones it matched).
func EntriesExposure(path string, fi fs.FileInfo, p Policy) string {
	why := partExposure(path, fi, p, true)
	if why != "" || fi.Mode()&fs.ModeSticky == 0 || !fi.IsDir() {
		return why
	}
	uid, gid := filestat.Owner(fi)
	if exposureOf(path, uid, gid, fi.Mode()&^fs.ModeSticky, p, true) != "" {
		return fmt.Sprintf("may be written by others (mode %#o: its sticky bit keeps them from replacing what is there, not from adding new names)", fi.Mode().Perm()|0o1000)
	}
	return ""
}

// missingWhy is why a part that does not exist in a folder others may
// make entries in is refused (Policy.Missing).
const missingWhy = "does not exist, in a folder others may create it in"

// sharedLinkWhy is why a file linkedInShared is refused.
const sharedLinkWhy = "has more than one hard link, in a folder others may create entries in"

// linkedInShared reports whether fi, a regular file in a folder of mode
// dir, has other hard links while others may make entries in that
// folder (a sticky one): where fs.protected_hardlinks is off, a user
// may link a file of root's there under a name root's configuration
// reads (tester AJ).
func linkedInShared(fi fs.FileInfo, dir fs.FileMode) bool {
	return fi.Mode().IsRegular() && dir&fs.ModeSticky != 0 && dir.Perm()&0o022 != 0 && filestat.Links(fi) > 1
}

// Trusting returns a trust: uid 0 and those of uids
// (the user who ran root's gocfg through sudo, or the user who runs
// her own; a negative uid is no one).
func Trusting(uids ...int) func(uid int) bool {
	return func(uid int) bool {
		if uid == 0 {
			return true
		}
		for _, u := range uids {
			if u >= 0 && uid == u {
				return true
			}
		}
		return false
	}
}
