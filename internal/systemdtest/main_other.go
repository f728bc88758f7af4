//go:build !linux

package systemdtest

import (
	"runtime"
	"testing"
)

// unavailable says why managers cannot run here.
func unavailable() string { return "not Linux (" + runtime.GOOS + ")" }

// reexec is never called off Linux.
func reexec() int { return 2 }

// runInside only runs the tests off Linux.
func runInside(m *testing.M, _ string) int {
	skipReason = unavailable()
	return m.Run()
}
