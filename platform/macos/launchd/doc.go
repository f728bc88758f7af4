// Package launchd applies `macos.launchd.agents.<label>` (per-user agents
// of `macos.primary_user`, `~/Library/LaunchAgents/<label>.plist`, owned
// by that user) and `macos.launchd.daemons.<label>`
// (`/Library/LaunchDaemons/<label>.plist`, root:wheel), both 0644.
//
// Place in the pipeline: a platform.Provider. Its resources are
// `launchd:agent:<user>:<label>` and `launchd:daemon:<label>`. NewConfig
// renders each job's property list with howett.net/plist (XML, keys
// sorted, so the same configuration always gives the same bytes): Label,
// ProgramArguments, RunAtLoad and KeepAlive when set,
// EnvironmentVariables when not empty, then the `extra` keys verbatim.
//
// A plist is stored in the generation (files roots
// "launchd/agents/<user>" and "launchd/daemons") and copied to its real
// path: launchd reads only real files, and refuses a daemon's that is not
// root's or that others can write, so it cannot be a link into the
// store. The records keep each job's path and content hash; removing a
// job or rolling back takes the previous content from the current
// generation's store.
//
// # Loading
//
// The live state is the plist file and whether the job is loaded
// (`launchctl print gui/<uid>/<label>` or `system/<label>` succeeds). A
// new job is written and loaded with `launchctl bootstrap gui/<uid>
// <path>` (`bootstrap system <path>` for daemons); a changed one is
// unloaded (`bootout gui/<uid>/<label>`), written and loaded again, so
// only what changed is restarted; a job dropped from the configuration
// is unloaded and its file removed, but only if the file is still what
// gocfg wrote: a file changed by hand is left alone, with a warning. A
// plist gocfg did not write already at the path stops the switch (a
// Conflict), unless it is byte for byte the one gocfg would write, which
// is adopted. Every op's Undo puts back the previous file and load
// state.
//
// Root bootstraps into a user's gui/<uid> domain directly; the domain
// exists only while the user is logged in, so when `launchctl print
// gui/<uid>` fails the agents are written and launchd loads them at the
// user's next login. gocfg run by a user manages that user's own agents
// (no asuser wrap is needed for one's own domain); daemons need root and
// are skipped with a note. Under `--root DIR --os darwin` (Machine.Offline)
// only the files are written and removed; launchctl is not run.
package launchd
