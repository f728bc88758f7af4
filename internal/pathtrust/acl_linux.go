package pathtrust

import (
	"errors"

	"golang.org/x/sys/unix"
)

// hasACL reports whether path (not followed) has a POSIX access ACL,
// which may let users other than its owner write to it. An error other
// than "no such attribute" counts as one: unsure is unsafe.
func hasACL(path string) bool {
	_, err := unix.Lgetxattr(path, "system.posix_acl_access", nil)
	return err == nil || !errors.Is(err, unix.ENODATA) && !errors.Is(err, unix.ENOTSUP)
}
