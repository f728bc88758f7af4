//go:build !linux

package system

import (
	"errors"
	"io/fs"
)

// grantRead is not built outside Linux (macOS ACLs are set with chmod +a
// and are left for later): callers fall back to group ownership.
func grantRead(name string, _ int) error {
	return &fs.PathError{Op: "setfacl", Path: name, Err: errors.ErrUnsupported}
}
