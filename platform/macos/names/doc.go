// Package names is the resource provider for a Mac's three names
// (DESIGN.md §3): `networking.host_name` (HostName, what hostname(1) and
// the shell prompt show), `networking.computer_name` (ComputerName, the
// name in Finder, AirDrop and Sharing) and `networking.local_host_name`
// (LocalHostName, the Bonjour name <name>.local). Resource IDs are
// "hostname:HostName", "hostname:ComputerName" and
// "hostname:LocalHostName" (NameID).
//
// Place in the pipeline: a platform provider, planned on macOS only (on
// Linux `networking.host_name` belongs to platform/hostname, and the two
// macOS-only options are noted as ignored). The live names are read with
// `scutil --get <Name>` (exit status 1 and "<Name>: not set" when unset)
// and set with `scutil --set <Name> <value>` as root, through the
// system.System seam.
//
// The records keep, for each name gocfg manages, the value it set and
// the value the Mac had before gocfg first managed it, including "not
// set". Unsetting the option, or rolling back to a generation that did
// not set it, puts that value back, unless the name was changed by hand
// since gocfg set it (then it is left alone with a warning, as
// platform/hostname does). A name that was not set is put back with
// `scutil --set <Name> ""`: scutil passes an empty value on as NULL to
// SCPreferencesSet<Name>, which removes the key, after which `scutil
// --get` says "not set" again (configd's scutil/prefs.c; without a value
// at all scutil would read one from standard input instead).
//
// Decisions taken where the design is silent:
//   - An empty name is a configuration error (leave the option unset to
//     leave the name alone); LocalHostName must be one DNS label of
//     letters, digits and inner hyphens (at most 63), what Bonjour
//     accepts; HostName an RFC 1123 name; ComputerName any text without
//     control characters.
//   - Setting names needs root; a run without root plans nothing and
//     says so in a note.
//   - Under --root (an offline macOS tree, `--os darwin`) the names are
//     read from and written to the tree's
//     /Library/Preferences/SystemConfiguration/preferences.plist, where
//     scutil keeps them (System/System/HostName and ComputerName, with
//     ComputerNameEncoding, and System/Network/HostNames/LocalHostName),
//     keeping the file's format (XML or binary) and every other key.
package names
