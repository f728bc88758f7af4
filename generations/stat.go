package generations

import (
	"crypto/rand"
	"encoding/hex"
	"io/fs"
	"syscall"
)

// fileMode is the mode of a stored file.
func fileMode(exec bool) fs.FileMode {
	if exec {
		return 0o555
	}
	return 0o444
}

// owner returns the owner of the file fi describes, and false when fi
// does not say.
func owner(fi fs.FileInfo) (uid, gid int, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return int(st.Uid), int(st.Gid), true
}

// linkCount returns the number of hard links of the file fi describes,
// or 1 when fi does not say.
func linkCount(fi fs.FileInfo) uint64 {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 1
	}
	return uint64(st.Nlink)
}

// ownedBy reports whether fi is owned by uid and gid; -1 matches any.
func ownedBy(fi fs.FileInfo, uid, gid int) bool {
	u, g, ok := owner(fi)
	if !ok {
		return false
	}
	return (uid == -1 || u == uid) && (gid == -1 || g == gid)
}

// tempName returns prefix followed by random hex, for temporary folders.
func tempName(prefix string) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}
