//go:build !linux

package nspawntest

// process is empty off Linux: there are no containers.
type process struct{}
