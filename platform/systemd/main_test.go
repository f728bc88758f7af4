package systemd

import (
	"testing"

	"github.com/gocfg/gocfg/internal/systemdtest"
)

// TestMain runs the tests inside systemdtest's namespaces, where each test
// starts its own systemd user manager.
func TestMain(m *testing.M) { systemdtest.Main(m) }
