// Package linger is the provider of users.<name>.linger (NixOS's
// users.users.<name>.linger): whether systemd starts the user's manager
// at boot and keeps it after her last session ends, so that her user
// units run without her logging in (`loginctl enable-linger`).
//
// What it does: true enables lingering, false disables it, unset (null)
// leaves it as it is, as NixOS does since 25.05 (before, every user
// without linger = true lost lingering enabled by hand). The state is
// the file /var/lib/systemd/linger/<name>. On a live machine the op runs
// `loginctl enable-linger` or `disable-linger`, which also starts or
// stops the manager at once; under --root it creates or removes the
// file, which takes effect when the tree boots. The state before gocfg
// first managed a user's lingering is recorded and put back when the
// option is removed, as for the host name; a change by hand since is
// left alone and reported.
//
// With the user units of a user whose lingering this switch enables:
// the plan is made before her manager starts, so her units are held
// (left as they are) by this switch, which says so
// (platform.Facts.Lingering) and asks for the next switch, which writes
// them. Enable linger first, or switch twice.
//
// Linux only: on macOS the option is ignored with a warning (launchd
// agents run in a login session).
package linger
