package system

import (
	"encoding/binary"
	"errors"
	"io/fs"

	"golang.org/x/sys/unix"
)

// POSIX ACL tags and the xattr layout of system.posix_acl_access
// (linux/posix_acl_xattr.h): a version word, then one entry per tag,
// sorted by tag and, within ACL_USER, by id.
const (
	aclVersion   = 2
	aclUserObj   = 0x01
	aclUser      = 0x02
	aclGroupObj  = 0x04
	aclMask      = 0x10
	aclOther     = 0x20
	aclUndefined = 0xffffffff
)

// grantRead gives uid read and search access to the folder name, and
// nobody else but its owner: the access ACL
//
//	user::rwx user:<uid>:r-x group::--- mask::r-x other::---
//
// written as the system.posix_acl_access attribute of the folder, which
// must not be a link. A file system without ACLs answers
// errors.ErrUnsupported.
func grantRead(name string, uid int) error {
	fd, err := unix.Open(name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return &fs.PathError{Op: "setfacl", Path: name, Err: err}
	}
	defer unix.Close(fd)
	b := binary.LittleEndian.AppendUint32(nil, aclVersion)
	entry := func(tag, perm uint16, id uint32) {
		b = binary.LittleEndian.AppendUint16(b, tag)
		b = binary.LittleEndian.AppendUint16(b, perm)
		b = binary.LittleEndian.AppendUint32(b, id)
	}
	entry(aclUserObj, 7, aclUndefined)
	entry(aclUser, 5, uint32(uid))
	entry(aclGroupObj, 0, aclUndefined)
	entry(aclMask, 5, aclUndefined)
	entry(aclOther, 0, aclUndefined)
	if err := unix.Fsetxattr(fd, "system.posix_acl_access", b, 0); err != nil {
		if err == unix.EOPNOTSUPP {
			err = errors.ErrUnsupported
		}
		return &fs.PathError{Op: "setfacl", Path: name, Err: err}
	}
	return nil
}
