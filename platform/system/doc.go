// Package system is the one seam through which gocfg touches the
// machine: every read of live state and every side effect of `gocfg
// switch` (files, links, ownership, commands) goes through a System.
//
// Implementations and decorators, chosen in one place (cmd/gocfg):
//   - Real: the operating system, with atomic writes (renameio).
//   - Rooted: relocates every absolute path under a folder (`--root DIR`),
//     like `systemctl --root`; link targets are passed through untouched,
//     so callers make them relative under a root. Commands run on the
//     host: only those marked ReadOnly or Tree (see below).
//   - ReadOnly: reads pass through, every change fails with an error
//     wrapping ErrReadOnly that names the operation and the path, and only
//     commands marked Command.ReadOnly run (`gocfg plan`, `gocfg status`):
//     a provider that writes while it plans fails loudly, as chezmoi's
//     ReadOnlySystem makes it.
//   - DryRun: reads pass through, writes and commands are recorded and
//     not performed (`--dry-run` writes nothing, not even state).
//
// cmd/gocfg stacks them in one place (openMachine), from the mode each
// command declares: Real, then under --root Rooted, then ReadOnly or
// DryRun on top.
//
// A Command says what it does. ReadOnly marks a question that changes
// nothing (dpkg-query, defaults export, launchctl print); Tree marks a
// command that changes only the tree its arguments name (useradd --root
// DIR). Rooted runs a command with the host's program, user and kernel,
// relocating only its working folder: it refuses any command that is
// neither, with an error wrapping ErrHostCommand, so nothing meant for a
// live machine (a hook, apt-get install, defaults write) runs on the one
// building a tree.
//
// Deleting a file that a program may still write to (what a switch moved
// aside: a program that opened the path before holds that file) goes
// through RemoveUnshared: on Linux a read lease keeps the file while any
// program has it open for writing (ErrShared) and holds back new opens
// for writing between the caller's check and the unlink; macOS has no
// leases and checks, then removes.
//
// Beyond files, a System reaches systemd managers (Units: over D-Bus,
// the system's or a user's private socket; offline under Rooted, where
// enabling makes the links `systemctl --root` makes) and the host name
// (org.freedesktop.hostname1, else /etc/hostname and sethostname).
//
// Many entries in one folder (a store object's files, a switch's links)
// are made on the folder's descriptor instead of resolving its path for
// each: OpenFolder hands out a Folder held open (Real, Rooted over it;
// any other System gets one that makes each entry by path with its own
// calls), and below a confined folder Real keeps the folder its last link
// or folder was made in (heldFolder). Both resolve the folder as every
// confined operation does, so they confine exactly as the path calls
// would. Reads of many paths work the same way: Readlinks and Lstats
// resolve the folder of consecutive paths in one confined folder once
// (a plan reads every managed link of a home, and every folder on the
// way to them). Files are read and written with read(2) and write(2) on raw
// descriptors, not *os.File, which registers every regular file with the
// network poller.
//
// Paths given to a System are machine paths: absolute, as the managed
// machine sees them (`/home/alice/.zshrc`), whatever the root.
package system
