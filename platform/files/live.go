package files

import (
	"errors"
	"io/fs"
	"strconv"
	"strings"
	"syscall"

	"github.com/gocfg/gocfg/platform/system"
)

// liveKind is what is at a path on the machine.
type liveKind int

const (
	absent liveKind = iota
	isLink
	isFile
	isDir
	isOther
)

// A live is the state of one path on the machine.
type live struct {
	kind   liveKind
	target string      // isLink
	info   fs.FileInfo // isFile, isDir, isOther
	hash   string      // isFile, filled by contentHash
}

// readLive reads what is at p. A symlink is tried first: it is what a
// managed path usually is, and Readlink answers in one system call.
func readLive(sys system.System, p string) (live, error) {
	t, err := sys.Readlink(p)
	return liveAfterReadlink(sys, p, t, err)
}

// readLives is readLive of every path of ps into lives and errs, with
// their links read together (system.Readlinks: one resolution of each
// folder for its links, instead of one per link).
func readLives(sys system.System, ps []string, lives []live, errs []error) {
	ts, lerrs := system.Readlinks(sys, ps)
	for i, p := range ps {
		lives[i], errs[i] = liveAfterReadlink(sys, p, ts[i], lerrs[i])
	}
}

// liveAfterReadlink is readLive once Readlink(p) answered t, err.
func liveAfterReadlink(sys system.System, p, t string, err error) (live, error) {
	switch {
	case err == nil:
		return live{kind: isLink, target: t}, nil
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOTDIR):
		return live{kind: absent}, nil
	case !errors.Is(err, syscall.EINVAL):
		return live{}, err
	}
	fi, err := sys.Lstat(p)
	return liveAfterLstat(sys, p, fi, err)
}

// readLiveDirs is readLive for the folders on the way to managed files
// ps (each usually is one), into lives and errs: Lstat first (one system
// call for a folder), Readlink only for a link. The paths are described
// together (system.Lstats: one resolution of each folder for the
// consecutive paths in it, instead of one per path).
func readLiveDirs(sys system.System, ps []string, lives []live, errs []error) {
	fis, lerrs := system.Lstats(sys, ps)
	for i, p := range ps {
		if lerrs[i] == nil && fis[i].Mode()&fs.ModeSymlink != 0 {
			t, err := sys.Readlink(p)
			lives[i], errs[i] = liveAfterReadlink(sys, p, t, err)
			continue
		}
		lives[i], errs[i] = liveAfterLstat(sys, p, fis[i], lerrs[i])
	}
}

// liveAfterLstat is readLive once Lstat(p) answered fi, err.
func liveAfterLstat(sys system.System, p string, fi fs.FileInfo, err error) (live, error) {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return live{kind: absent}, nil
	}
	if err != nil {
		return live{}, err
	}
	switch {
	case fi.Mode().IsRegular():
		return live{kind: isFile, info: fi}, nil
	case fi.IsDir():
		return live{kind: isDir, info: fi}, nil
	case fi.Mode()&fs.ModeSymlink != 0:
		t, err := sys.Readlink(p)
		if err != nil {
			return live{}, err
		}
		return live{kind: isLink, target: t}, nil
	}
	return live{kind: isOther, info: fi}, nil
}

// maxLiveHash bounds the live files contentHash reads: a file in the
// way, or at a managed path, may be a sparse file of a terabyte that its
// account (a home's user) put there, and hashing it took root's plan,
// switch and status minutes to hours. gocfg's own files are far smaller.
const maxLiveHash = 256 << 20

// tooLargeHash is the hash contentHash gives a file of more than
// maxLiveHash bytes without reading it (or, when it grew past that after
// its Lstat, hashLive once it has read that much): no content's sha256, so such a
// file is never the same content as gocfg's (it is in the way), and
// never kept as an original (isTooLarge).
func tooLargeHash(size int64) string { return "too-large:" + strconv.FormatInt(size, 10) }

// isTooLarge reports whether h is a tooLargeHash.
func isTooLarge(h string) bool { return strings.HasPrefix(h, "too-large:") }

// contentHash hashes a live regular file (once); one of more than
// maxLiveHash bytes gets a tooLargeHash.
func (l *live) contentHash(sys system.System, p string) (string, error) {
	if l.kind != isFile {
		return "", nil
	}
	if l.hash != "" {
		return l.hash, nil
	}
	if l.info != nil && l.info.Size() > maxLiveHash {
		l.hash = tooLargeHash(l.info.Size())
		return l.hash, nil
	}
	h, err := hashPath(sys, p)
	if err != nil {
		return "", err
	}
	l.hash = h
	return h, nil
}

// describe says what is at a path, for the plan's "before" column.
func (l *live) describe() string {
	switch l.kind {
	case isLink:
		return "link → " + l.target
	case isFile:
		if l.hash != "" {
			return "file " + short(l.hash)
		}
		return "file"
	case isDir:
		return "folder"
	case isOther:
		return "special file"
	}
	return ""
}
