//go:build !linux

package hugeheap

// reserved does nothing: transparent huge pages are Linux's.
func reserved(int) bool { return false }
