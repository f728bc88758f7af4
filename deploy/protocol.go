package deploy

// The deploy protocol: what the deploying gocfg runs on a host over ssh,
// always as `<become> <gocfg> <args>` with the gocfg binary it put there.
// A host needs nothing else: no repository, no evaluation, no daemon.
//
//	deploy-agent --missing DIR           stdin: the bundle's manifest (JSON); stdout: the JSON list of the paths of
//	                                     its files that the previous bundle, DIR/../last, lacks (its copies hashed)
//	deploy-agent --receive DIR           stdin: a bundle (deploy/bundle) holding those files only → DIR (a new
//	                                     folder, 0700), the other files copied from DIR/../last and checked
//	                                     against the manifest's SHA-256 (one neither sent nor found: an error);
//	                                     then DIR/../last → DIR, and the run-<id> folders next to DIR are removed
//	                                     but DIR, the newest other one, and those whose agent is running or
//	                                     awaiting confirmation
//	plan --bundle DIR [--json]           the host's plan against its live machine (read-only)
//	switch --bundle DIR                  switch in the foreground (what the agent runs)
//	switch --dry-run --bundle DIR        the switch's dry run: the plan, nothing changed (gocfg deploy --dry-run)
//	deploy-agent --detach [--confirm-timeout S] DIR
//	                                     start the agent detached from the connection (systemd-run; setsid where
//	                                     systemd is not PID 1) and return; S > 0: magic rollback after S seconds
//	deploy-agent --follow [--from N] DIR print DIR/log from byte N as it grows, until the agent reaches a state
//	                                     to report; the last line is StatusPrefix + the Status as JSON; an agent
//	                                     whose process is gone while it runs or awaits confirmation (killed hard)
//	                                     is reported (and recorded) as failed: "the agent died"
//	deploy-agent --confirm DIR           confirm the switch (over a new connection, after the health checks)
//	deploy-agent --refuse DIR            refuse it (a health check failed): the agent rolls back at once; the
//	                                     first of --confirm, --refuse and the agent's timeout to make DIR/confirm
//	                                     (a hard link: it appears whole, once) decides
//
// The agent's states (Status.State), in the order they can come:
const (
	StateRunning     = "running"          // planning or switching
	StateAwaiting    = "awaiting-confirm" // switched; rolls back unless confirmed in time
	StateSwitched    = "switched"         // switched, confirmed (or no magic rollback): final
	StateNoChanges   = "no-changes"       // nothing to do: final
	StateFailed      = "failed"           // the switch failed and was undone, or the agent died: final
	StateRolledBack  = "rolled-back"      // not confirmed in time, or refused: rolled back to From: final
	StatusPrefix     = "@gocfg-deploy-status "
	AgentStatusFile  = "status"  // in DIR: the Status as JSON, replaced atomically
	AgentLogFile     = "log"     // in DIR: the agent's output
	AgentConfirmFile = "confirm" // in DIR: made by --confirm, --refuse or the agent's timeout
	LastLink         = "last"    // next to DIR: a link to the last bundle received, made by --receive
)

// Status is what the agent reports.
type Status struct {
	State string `json:"state"`
	// From and To are the generations before and after the switch (To
	// = From when nothing changed).
	From int `json:"from"`
	To   int `json:"to"`
	// Changes counts the plan's changes.
	Changes int `json:"changes"`
	// Error says why it failed or rolled back.
	Error string `json:"error,omitempty"`
	// PID and Start are the agent's process and when it started
	// (/proc/<pid>/stat field 22; 0 where there is no /proc), in the
	// status file while it runs or awaits confirmation: --follow reports
	// the state failed, "the agent died", once that process is gone. The
	// status line of --follow leaves them out.
	PID   int    `json:"pid,omitempty"`
	Start uint64 `json:"start,omitempty"`
	// RollingBack is set, with the state awaiting-confirm, while the
	// agent rolls back (its Error says why): an agent that dies then was
	// not waiting for a confirmation, and its rollback was cut short.
	RollingBack bool `json:"rolling_back,omitempty"`
}
