//go:build !linux && !darwin

package evalcache

import (
	"io/fs"
	"os"
)

// signatureOf is a file's stat signature: size, mode and mtime only
// here, so the change time (-1) makes every file racy and hashed.
func signatureOf(fi fs.FileInfo) signature {
	return signature{Size: fi.Size(), Mode: uint32(fi.Mode()), MtimeNS: fi.ModTime().UnixNano(), CtimeNS: -1}
}

// ownerOf cannot tell a file's owner here: the cache is not used.
func ownerOf(fs.FileInfo) (int, bool) { return 0, false }

// A statResult is what stat said of one path.
type statResult struct {
	sig      signature
	err      error
	uid, gid uint32 // not known here (the cache is not used)
}

// statPath stats path, links followed.
func statPath(path string) statResult {
	fi, err := os.Stat(path)
	if err != nil {
		return statResult{err: err}
	}
	return statResult{sig: signatureOf(fi)}
}

// statEach stats the n paths path(0) … path(n-1), links followed, and
// gives each result to check(i, st), until one says false: then statEach
// says false too. All on the caller's goroutine: guard is not needed.
func statEach(n int, path func(int) string, check func(i int, st statResult) bool, _ func(func()) bool) bool {
	for i := 0; i < n; i++ {
		if !check(i, statPath(path(i))) {
			return false
		}
	}
	return true
}
