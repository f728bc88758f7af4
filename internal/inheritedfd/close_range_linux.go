package inheritedfd

import (
	"math"

	"golang.org/x/sys/unix"
)

// closeRange marks descriptors 3 and above close-on-exec in one call.
func closeRange() error {
	return unix.CloseRange(3, math.MaxUint32, unix.CLOSE_RANGE_CLOEXEC)
}
