package systemd

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// Tester AC: the hint for a user's manager that is not running was
// "loginctl enable-linger" even when she already lingered.
func TestManagerHintLingering(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, LingerDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, LingerDir, "alice"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	sys := system.NewRooted(root, system.NewReal())
	noManager := fmt.Errorf("connect: %w", system.ErrNoManager)
	for _, tc := range []struct {
		name  string
		scope system.UnitScope
		err   error
		want  string
	}{
		{"she lingers", system.UnitScope{User: "alice", UID: 1001}, noManager, "systemctl start user@1001.service (alice already lingers"},
		{"she does not linger", system.UnitScope{User: "bob", UID: 1002}, noManager, "loginctl enable-linger bob"},
		{"a socket that never answers", system.UnitScope{User: "alice", UID: 1001}, fmt.Errorf("%w within 5s", system.ErrNoAnswer), "ss -xlp"},
		{"the system manager", system.UnitScope{UID: -1, GID: -1}, noManager, "PID 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := ManagerDown(sys, tc.scope, tc.err)
			if !errors.Is(err, tc.err) {
				t.Errorf("ManagerDown(%v) = %v, which does not wrap it", tc.err, err)
			}
			if got := ManagerHint(tc.scope, err); !strings.Contains(got, tc.want) {
				t.Errorf("ManagerHint = %q, want it to contain %q", got, tc.want)
			}
		})
	}
}
