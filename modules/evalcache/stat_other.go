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
	sig signature
	err error
}

// statPaths stats every path, links followed.
func statPaths(paths []string) []statResult {
	out := make([]statResult, len(paths))
	for i, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			out[i].err = err
			continue
		}
		out[i].sig = signatureOf(fi)
	}
	return out
}
