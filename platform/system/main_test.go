package system

import (
	"testing"

	"github.com/gocfg/gocfg/internal/systemdtest"
)

// TestMain runs the tests inside private namespaces when real systemd
// user managers can run here (see internal/systemdtest).
func TestMain(m *testing.M) { systemdtest.Main(m) }
