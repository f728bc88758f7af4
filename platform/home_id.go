package platform

import "strings"

// HomeOf returns the user whose home a resource ID acts in: a home file
// or folder (file:~alice/.zshrc, dir:~alice/.config), a user's secret
// (secret:~alice/token) or a user unit (unit:user:alice:foo.service).
// Those are the resources a user controls the ground of (DESIGN.md §7),
// and that a switch holds when one of them fails (machine.Switch.Hold).
// So are the jobs and checkpoint of a user's manager
// (units:user:alice:jobs), a user's launchd agent, whose plist is in
// her ~/Library/LaunchAgents (launchd:agent:alice:com.example.sync), a
// key of her preferences, in her ~/Library/Preferences
// (defaults:alice:com.apple.dock:autohide, host-defaults:…), and
// home:~alice, the whole home, and home-files:~alice, her files and
// secrets (what a rollback holds of her). Other IDs (/etc files, system units,
// launchd daemons, system-defaults, accounts, packages) return false.
func HomeOf(id string) (string, bool) {
	kind, rest, ok := strings.Cut(id, ":")
	if !ok {
		return "", false
	}
	switch kind {
	case "file", "dir", "secret", "home", "home-files":
		u, ok := strings.CutPrefix(rest, "~")
		if !ok {
			return "", false
		}
		u, _, _ = strings.Cut(u, "/")
		return u, u != ""
	case "defaults", "host-defaults":
		// defaults:<user>:<domain>:<key> (not defaults:refresh).
		u, rest, ok := strings.Cut(rest, ":")
		if !ok || u == "" || !strings.Contains(rest, ":") {
			return "", false
		}
		return u, true
	case "unit", "units", "launchd":
		prefix := "user:"
		if kind == "launchd" {
			prefix = "agent:"
		}
		rest, ok := strings.CutPrefix(rest, prefix)
		u, _, _ := strings.Cut(rest, ":")
		if !ok || u == "" {
			return "", false
		}
		return u, true
	}
	return "", false
}

// HomeDirID is the resource ID of user's home folder (dir:~alice), which
// the files provider makes where the plan makes it (a user the account
// tools give no home, an offline tree): what other providers write in
// the home (launch agents, preferences) depends on it, an optional
// dependency (OptionalDeps "dir:"), absent when the home is there.
func HomeDirID(user string) string { return "dir:~" + user }
