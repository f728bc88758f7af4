package systemd

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/platform/systemd/unit"
)

// silentManagers is a System whose users' managers never answer (a user
// listening on her manager's socket herself, and saying nothing).
type silentManagers struct{ system.System }

func (s silentManagers) Units(ctx context.Context, scope system.UnitScope) (system.Units, error) {
	if scope.User == "" {
		return s.System.Units(ctx, scope)
	}
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestUserManagerTimeout: a user's manager that never answers stops
// root's plan after userManagerTimeout with an error that says so,
// instead of holding it (and the state lock) for ever.
func TestUserManagerTimeout(t *testing.T) {
	saved := userManagerTimeout
	userManagerTimeout = 200 * time.Millisecond
	t.Cleanup(func() { userManagerTimeout = saved })
	sys := silentManagers{system.NewRooted(t.TempDir(), system.NewReal())}
	l := &machine.Machine{Sys: sys, Host: system.NewReal(), Store: generations.New(sys, "/var/lib/gocfg"), To: 1,
		Offline: true, Privileged: true, User: "root", OS: "linux", Accounts: &accounts.Database{}}
	cfg := &Config{Users: map[string]UserUnits{"alice": {Services: map[string]unit.Service{"sync": service("/usr/bin/true")}}}}
	_, err := platform.MakePlan(t.Context(), nil, &Provider{Machine: l, Config: cfg})
	if err == nil || !strings.Contains(err.Error(), "the manager did not answer within 200ms") {
		t.Errorf("plan: %v, want the user's manager named as not answering", err)
	}
}
