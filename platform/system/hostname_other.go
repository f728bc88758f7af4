//go:build !linux

package system

import (
	"context"
	"fmt"
	"runtime"
)

// setHostname is not supported here: the macOS backend sets host names
// with scutil.
func setHostname(_ context.Context, _ *Real, name string) error {
	return fmt.Errorf("set host name %s: not supported on %s here; the macOS backend uses scutil", name, runtime.GOOS)
}
