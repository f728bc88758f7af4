// Package prefs applies macOS preferences: `macos.defaults` (as
// `macos.primary_user`, `-g` for NSGlobalDomain), `macos.current_host_defaults`
// (`defaults -currentHost`, the ByHost files) and `macos.system_defaults`
// (`/Library/Preferences/<domain>` as root).
//
// Place in the pipeline: a platform.Provider. Its resources are single
// keys, `defaults:<user>:<domain>:<key>`, `host-defaults:<user>:<domain>:<key>`
// and `system-defaults:<domain>:<key>`; a nested dict or array is one
// value, compared and restored whole.
//
// # Reading and writing
//
// On a Mac the live domain is read with `defaults export <domain> -` and
// decoded with howett.net/plist (XML or binary, detected); a changed key
// is written with `defaults write <domain> <key> '<plist XML>'`, which
// keeps every type the configuration meant (integer, real, date, data,
// nested dicts) where `defaults write -int/-float/...` flags cannot
// express nesting. gocfg run as root writes a user's preferences from
// inside that user's session (`launchctl asuser <uid> sudo -u <user> --`,
// as nix-darwin does): cfprefsd owns the files and caches them, so
// writing a plist file behind its back is lost.
//
// Under `--root DIR --os darwin` no cfprefsd runs, so the Files store reads
// and writes the plist files themselves, in binary format as macOS does:
// `Users/<u>/Library/Preferences/<domain>.plist` (`.GlobalPreferences.plist`
// for NSGlobalDomain), `.../ByHost/<domain>.<UUID>.plist` for -currentHost
// (the UUID taken from the ByHost files already there) and
// `Library/Preferences/<domain>.plist` for system domains.
//
// # Comparing
//
// Numbers compare by value whatever their plist type (a plist decodes to
// uint64, int64, float32 or float64; a real read back as float32 compares
// at float32 precision), so `tilesize = 48` matches a live <real>48</real>
// and plans nothing; what is written takes its type from the
// configuration: a whole number is an <integer>, `real(x)` or a fraction a
// <real>.
//
// # Restoring (nix-darwin #88, #1519)
//
// The first switch that manages a key records the value it had (or that
// it was absent) in the generation's records, and every later generation
// carries that original forward. When the key leaves the configuration,
// or a rollback goes to a generation without it, gocfg writes the
// original back or deletes the key with `defaults delete`, provided the
// live value is still the one gocfg wrote; a value changed by hand since
// is left alone, with a warning.
//
// # Restarting what reads them (nix-darwin #1761)
//
// After the keys are written, one hidden change restarts only the
// processes that cache the changed domains (Dock for com.apple.dock,
// Finder for com.apple.finder, SystemUIServer for the menu bar and
// screencapture domains) and runs `activateSettings -u` as the user, so
// that most other settings apply without logging out. A switch that
// changes no user preference restarts nothing.
package prefs
