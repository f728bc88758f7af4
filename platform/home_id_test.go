package platform_test

import (
	"testing"

	"github.com/gocfg/gocfg/platform"
)

func TestHomeOf(t *testing.T) {
	for _, tc := range []struct {
		id   string
		user string
		ok   bool
	}{
		{"file:~alice/.zshrc", "alice", true},
		{"dir:~alice/.config", "alice", true},
		{"file:~bob", "bob", true},
		{"secret:~alice/token", "alice", true},
		{"unit:user:alice:foo.service", "alice", true},
		{"unit:system:nginx.service", "", false},
		{"units:user:alice:jobs", "alice", true},
		{"units:system:jobs", "", false},
		{"home:~alice", "alice", true},
		{"home-files:~alice", "alice", true},
		{"launchd:agent:alice:com.example.sync", "alice", true},
		{"launchd:daemon:com.example.d", "", false},
		{"launchd:agent::x", "", false},
		{"defaults:alice:com.apple.dock:autohide", "alice", true},
		{"host-defaults:alice:com.apple.screensaver:idleTime", "alice", true},
		{"defaults:refresh", "", false},
		{"defaults:checkpoint", "", false},
		{"system-defaults:com.apple.loginwindow:GuestEnabled", "", false},
		{"file:/etc/motd", "", false},
		{"secret:db", "", false},
		{"user:alice", "", false},
		{"current", "", false},
		{"file:~/x", "", false},
	} {
		u, ok := platform.HomeOf(tc.id)
		if u != tc.user || ok != tc.ok {
			t.Errorf("HomeOf(%q) = %q, %v; want %q, %v", tc.id, u, ok, tc.user, tc.ok)
		}
	}
}
