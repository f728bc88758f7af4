package files

import (
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/gocfg/gocfg/internal/filestat"
	"github.com/gocfg/gocfg/platform/system"
)

// A file that force = true replaces is kept in the store, to be put back
// when gocfg lets go of its path. What is kept must be that file: the
// plan's Lstat of it, its hash and the store's copy each look at the
// path, and its account may swap another file in between. Tester AL,
// with fs.protected_hardlinks off: she swapped a hard link to a
// root-only file with her decoy while root switched; the Lstat saw the
// decoy (one link), the hash and the copy read the root file, and its
// content landed in the store area she reads. So the hash and the copy
// are each read from a descriptor whose fstat is the file the Lstat saw
// (device and inode), with one link (keptHash, keptOpener).

// errNotSeen is the error of a kept file's read when the path no longer
// holds the file the plan looked at, or holds one with more links.
var errNotSeen = errors.New("is no longer the file gocfg looked at (it changed while gocfg read it)")

// keptHash is the hash of the regular file at p that the plan's Lstat
// saw (lv.info), read from one descriptor that is that file; errNotSeen
// when it is not, or has another link. A file of more than maxLiveHash
// bytes gets a tooLargeHash, unread.
func keptHash(sys system.System, p string, lv *live) (string, error) {
	if lv.info.Size() > maxLiveHash {
		return tooLargeHash(lv.info.Size()), nil
	}
	return hashOpened(func(p string) (io.ReadCloser, error) { return openSeen(sys, p, lv.info) }, p)
}

// keptOpener is the store's opener of the original at p, the file the
// plan saw (seen): it opens p and refuses a file that is not that one,
// or has another link (errNotSeen); the store then checks its hash.
func keptOpener(sys system.System, p string, seen fs.FileInfo) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return openSeen(sys, p, seen) }
}

// openSeen opens p through sys and checks, from the descriptor's own
// stat, that it is the file seen describes and has one link.
func openSeen(sys system.System, p string, seen fs.FileInfo) (io.ReadCloser, error) {
	f, err := sys.Open(p)
	if err != nil {
		return nil, err
	}
	st, ok := f.(interface{ Stat() (fs.FileInfo, error) })
	var fi fs.FileInfo
	if ok {
		fi, err = st.Stat()
	}
	if !ok || err != nil || !fi.Mode().IsRegular() || !filestat.SameFile(fi, seen) || filestat.Links(fi) != 1 {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: p, Err: errNotSeen}
	}
	return f, nil
}

// unkeptWhy says why force = true may not keep the regular file fi (the
// plan's Lstat of it) in the store of files root root ("" when it may):
// one with other hard links may be another file's content, one its
// owner could not read (a hard link to a root-only file, where
// fs.protected_hardlinks is off); and a home's store area is its
// user's to read, so a file there that the home's user could not read
// (another owner's, without read for others) is not copied into it.
func unkeptWhy(fi fs.FileInfo, root rootDir) string {
	if n := filestat.Links(fi); n > 1 {
		return fmt.Sprintf("a file with %d hard links is in the way; force = true does not keep such a file to put back (it may be another file's content)", n)
	}
	if uid, _ := filestat.Owner(fi); root.User != "" && root.UID >= 0 && uid != root.UID && fi.Mode().Perm()&0o004 == 0 {
		return fmt.Sprintf("a file of uid %d that %s may not read (mode %#o) is in the way; force = true does not keep it to put back, since %s may read what is kept", uid, root.User, fi.Mode().Perm(), root.User)
	}
	return ""
}
