//go:build !linux

package startheap

// physicalMemory returns 0 (unknown) where gocfg does not ask the
// system: a Mac has several GB, more than eight budgets.
func physicalMemory() uint64 { return 0 }
