package macos

// The macOS commands gocfg runs, by absolute path: gocfg may run under
// sudo with a reduced PATH, and a look-alike earlier in PATH must not
// receive preferences or passwords.
const (
	Defaults    = "/usr/bin/defaults"
	Scutil      = "/usr/sbin/scutil"
	Hidutil     = "/usr/bin/hidutil"
	Launchctl   = "/bin/launchctl"
	Dscl        = "/usr/bin/dscl"
	Sysadminctl = "/usr/sbin/sysadminctl"
	Dseditgroup = "/usr/sbin/dseditgroup"
	ID          = "/usr/bin/id"
	Killall     = "/usr/bin/killall"
	Sudo        = "/usr/bin/sudo"
	// ActivateSettings makes running applications re-read preferences
	// written behind their back (`activateSettings -u`, as the user).
	ActivateSettings = "/System/Library/PrivateFrameworks/SystemAdministration.framework/Resources/activateSettings"
)

// HomebrewPrefixes are where Homebrew lives, in the order gocfg looks:
// Apple silicon, then Intel.
var HomebrewPrefixes = []string{"/opt/homebrew", "/usr/local"}
