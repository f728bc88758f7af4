// Package system is the one seam through which gocfg touches the
// machine: every read of live state and every side effect of `gocfg
// switch` (files, links, ownership, commands) goes through a System.
//
// Implementations and decorators, chosen in one place (cmd/gocfg):
//   - Real: the operating system, with atomic writes (renameio).
//   - Rooted: relocates every absolute path under a folder (`--root DIR`),
//     like `systemctl --root`; link targets are passed through untouched,
//     so callers make them relative under a root.
//   - DryRun: reads pass through, writes and commands are recorded and
//     not performed (`--dry-run` writes nothing, not even state).
//
// Beyond files, a System reaches systemd managers (Units: over D-Bus,
// the system's or a user's private socket; offline under Rooted, where
// enabling makes the links `systemctl --root` makes) and the host name
// (org.freedesktop.hostname1, else /etc/hostname and sethostname).
//
// Paths given to a System are machine paths: absolute, as the managed
// machine sees them (`/home/alice/.zshrc`), whatever the root.
package system
