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
// Paths given to a System are machine paths: absolute, as the managed
// machine sees them (`/home/alice/.zshrc`), whatever the root.
package system
