// Package macos holds what every macOS applier shares: the paths of the
// macOS commands gocfg runs (defaults, scutil, hidutil, launchctl, dscl,
// sysadminctl, brew, ...), running one as a given user the way macOS
// wants it (`launchctl asuser <uid> sudo -u <user> --`), and looking a
// user up in the local directory.
//
// Place in the pipeline: platform appliers for macOS (prefs, launchd,
// keyboard, names, users, packages) build their commands with it; every
// command goes through the System seam (system.System.Run), so that on
// Linux the tests drive the same code with internal/macfake, a recording
// fake of these commands backed by real plist files.
//
// The sub-packages are the appliers: prefs (macos.defaults and friends),
// launchd (agents and daemons), keyboard (hidutil) and names (scutil).
package macos
