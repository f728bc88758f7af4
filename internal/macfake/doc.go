// Package macfake is a recording fake of the macOS commands gocfg runs
// (defaults, scutil, hidutil, launchctl, dscl, sysadminctl, id, brew,
// mas, systemsetup, socketfilterfw, killall, activateSettings), for
// driving the darwin appliers on Linux.
//
// A Fake is a system.System: every file operation goes to the System it
// wraps (normally system.Rooted over a temporary folder, which then holds
// a whole fake Mac: /Users/<u>/Library/Preferences/*.plist,
// /Library/LaunchDaemons, /etc/pam.d, ...), and Run answers the macOS
// commands from state kept in that same tree, under /.macfake:
//
//   - preferences are the real plist files a Mac keeps (binary, as
//     cfprefsd writes them; XML files are read too), so a test can start
//     from plists taken from a real Mac and inspect the result with any
//     plist tool;
//   - every other command keeps a small JSON file per subject
//     (/.macfake/<section>.json: users and groups for dscl, sysadminctl,
//     id and dseditgroup; names for scutil; keymap for hidutil; launchd
//     for launchctl; brew; mas; system for systemsetup and socketfilterfw);
//   - every command run is appended to /.macfake/commands.log, one line
//     each, with the user it ran as: what tests assert on.
//
// Commands wrapped for another user (`launchctl asuser <uid> sudo -u
// <user> -- cmd ...`, `sudo -u <user> cmd ...`) are unwrapped and answered
// as that user; the log shows the whole command line.
//
// The fake answers only what gocfg asks; anything else fails with exit
// status 127 and "macfake: not faked", so an unexpected command shows up
// in a test instead of passing silently. It is test-only: no production
// code path constructs one.
package macfake
