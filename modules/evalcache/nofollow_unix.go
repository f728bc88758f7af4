//go:build unix

package evalcache

import "syscall"

// oNoFollow opens a link as a failure, not its target.
const oNoFollow = syscall.O_NOFOLLOW
