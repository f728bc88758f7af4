package pathtrust

import (
	"encoding/binary"
	"errors"

	"golang.org/x/sys/unix"
)

// POSIX ACL entries as Linux keeps them in system.posix_acl_access: a
// 4-byte version (2), then 8 bytes an entry: tag, permissions (16 bits
// each) and id (32 bits), little-endian.
const (
	aclUser  = 0x02 // a named user
	aclGroup = 0x08 // a named group
	aclMask  = 0x10
	aclWrite = 0x2
)

// aclLetsOthersWrite reports whether path (not followed) has a POSIX
// access ACL that lets a named user or group write (an entry with write
// that the mask lets through): the group bits of the mode are then the
// mask, not the owning group's. An ACL that cannot be read counts as one
// that does: unsure is unsafe. An ACL that grants no write (a default
// ACL's read entries for a web server, reviewer R5) does not, nor does a
// named user entry for a trusted user (tester AK: u:0:rwx).
func aclLetsOthersWrite(path string, trusted func(uid int) bool) bool {
	buf := make([]byte, 256)
	n, err := unix.Lgetxattr(path, "system.posix_acl_access", buf)
	if errors.Is(err, unix.ERANGE) {
		size, err2 := unix.Lgetxattr(path, "system.posix_acl_access", nil)
		if err2 != nil {
			return true
		}
		buf = make([]byte, size)
		n, err = unix.Lgetxattr(path, "system.posix_acl_access", buf)
	}
	switch {
	case errors.Is(err, unix.ENODATA), errors.Is(err, unix.ENOTSUP):
		return false
	case err != nil || n < 4 || (n-4)%8 != 0:
		return true
	}
	named, mask := false, true // no mask entry: named entries count as is
	for e := buf[4:n]; len(e) >= 8; e = e[8:] {
		tag, perm := binary.LittleEndian.Uint16(e[0:]), binary.LittleEndian.Uint16(e[2:])
		switch {
		case tag == aclUser && perm&aclWrite != 0 && !trusted(int(binary.LittleEndian.Uint32(e[4:]))),
			tag == aclGroup && perm&aclWrite != 0:
			named = true
		case tag == aclMask:
			mask = perm&aclWrite != 0
		}
	}
	return named && mask
}
