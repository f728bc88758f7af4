package macfake

import "context"

func init() {
	register("killall", runKillall)
	register("activateSettings", runActivateSettings)
}

// runKillall answers `killall <name>`: the GUI processes a user's
// session runs are always there, so it succeeds; the log is what tests
// check.
func runKillall(_ context.Context, _ *Fake, c Call) ([]byte, int) {
	if len(c.Args) != 1 {
		return failf("usage: killall <process>")
	}
	switch c.Args[0] {
	case "Dock", "Finder", "SystemUIServer", "ControlCenter", "cfprefsd":
		return nil, 0
	}
	return []byte("No matching processes belonging to you were found\n"), 1
}

// runActivateSettings answers `activateSettings -u`.
func runActivateSettings(_ context.Context, _ *Fake, c Call) ([]byte, int) {
	if len(c.Args) != 1 || c.Args[0] != "-u" {
		return failf("macfake: activateSettings %v is not faked", c.Args)
	}
	if c.User == "root" {
		return failf("activateSettings -u must run as the user whose settings change")
	}
	return nil, 0
}
