//go:build !linux && !darwin

package system

import (
	"errors"
	"io/fs"
)

// grantRead has no ACL to set on other platforms: callers fall back to
// group ownership.
func grantRead(name string, _ int) error {
	return &fs.PathError{Op: "setfacl", Path: name, Err: errors.ErrUnsupported}
}
