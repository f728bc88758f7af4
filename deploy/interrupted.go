package deploy

import (
	"fmt"
	"time"
)

// A stage is how far a host's deploy went: what an interruption leaves
// the host in.
type stage int

const (
	// stageConnecting: nothing was sent yet (the zero value).
	stageConnecting stage = iota
	// stagePreparing: evaluating, sending gocfg and the configuration:
	// nothing changed on the host.
	stagePreparing
	// stageLooking: a plan or a dry run runs there, which changes
	// nothing.
	stageLooking
	// stageRollingBack: gocfg rollback runs there (--rollback).
	stageRollingBack
	// stageSwitching: the agent is started, or starting, detached.
	stageSwitching
	// stageChecking: the agent awaits the confirmation; the health
	// checks run.
	stageChecking
	// stageConfirming: the confirmation is on its way.
	stageConfirming
	// stageRefused: the switch was refused; the host rolls back.
	stageRefused
	// stageConfirmed: the confirmation got through; the switch stands.
	stageConfirmed
)

// interrupted is the result of h, whose deploy was interrupted at stage
// at (r: what it had come to): what becomes of the host. A switch goes
// on without the deploy, detached, and with magic rollback nothing can
// confirm it any more: the host rolls back by itself.
func interrupted(h Host, at stage, r Result) Result {
	out := Result{Outcome: Interrupted, From: r.From, To: r.To, SentFiles: r.SentFiles, SentBytes: r.SentBytes, StreamBytes: r.StreamBytes}
	timeout := fmt.Sprintf("%s (confirm_timeout)", h.ConfirmTimeout.Round(time.Second))
	switch at {
	case stageConnecting:
		out.Why = "while connecting; nothing changed on it"
	case stagePreparing:
		out.Why = "before it switched; nothing changed on it"
	case stageLooking:
		out.Why = "during its plan, which changes nothing"
	case stageRollingBack:
		out.Why = "during gocfg rollback there, which may have ended or not: see gocfg generations list on it"
	case stageSwitching:
		if !h.MagicRollback {
			out.Why = "during its switch, which goes on there, detached, and stands if it succeeds (magic_rollback is off): see gocfg status on it"
		} else {
			out.Why = "during its switch, which goes on there, detached; with no confirmation, the host rolls back by itself " + timeout + " after it switches"
		}
	case stageChecking, stageConfirming:
		out.Why = "before its switch was confirmed: the host rolls back" + generation(r.From) + " by itself within " + timeout
		if at == stageConfirming {
			out.Why += ", unless the confirmation under way got through"
		}
	case stageRefused:
		out.Why = "after its switch was refused: the host rolls back" + generation(r.From)
	case stageConfirmed:
		// Tester AT: it said "before its switch was confirmed".
		out.Why = "after its switch was confirmed, which stands" + generation(r.To)
	}
	return out
}

// generation is " to generation n", or "" for 0 (unknown).
func generation(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" to generation %d", n)
}
