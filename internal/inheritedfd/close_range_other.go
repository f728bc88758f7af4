//go:build !linux

package inheritedfd

import "errors"

// closeRange is Linux's; elsewhere CloseOnExec marks the descriptors one
// by one.
func closeRange() error { return errors.ErrUnsupported }
