//go:build !linux

package system

import "os"

// flockHolder returns 0: only Linux lists who holds a flock.
func flockHolder(*os.File) int { return 0 }
