package system

import (
	"context"
	"errors"
	"fmt"
)

// ErrJobInterrupted is the error of a job that gocfg stopped waiting for
// when interrupted (WithInterrupt).
var ErrJobInterrupted = errors.New("interrupted while waiting for the job: a start or stop is cancelled, a restart or reload left queued")

type interruptKey struct{}

// WithInterrupt returns ctx carrying interrupt, the command's own
// context, which an interrupt (SIGINT, SIGTERM, SIGHUP) cancels: a step
// of a switch runs with a context no interrupt cancels (the step in
// progress is not cut short), but a wait for a job of a systemd manager
// is not a step's work, only a wait. Interrupted, the wait ends: a start
// or stop job is cancelled, as the watch of account waits cancels it, a
// restart or reload is left queued, and the step fails with
// ErrJobInterrupted, so that the switch is undone. Tester AH: root's
// unit that waited on her process through systemd-run --uid --wait,
// which no watch can see, held the switch through SIGTERM; only SIGKILL
// ended it.
func WithInterrupt(ctx, interrupt context.Context) context.Context {
	return context.WithValue(ctx, interruptKey{}, interrupt)
}

// interruptOf is the channel closed when ctx's interrupt comes (nil, which
// never is, when ctx has none).
func interruptOf(ctx context.Context) <-chan struct{} {
	if c, ok := ctx.Value(interruptKey{}).(context.Context); ok {
		return c.Done()
	}
	return nil
}

// interrupted ends the wait for job id (see WithInterrupt): a start or
// stop is cancelled on the system manager, unless it finished meanwhile.
func (u *dbusUnits) interrupted(id int, name, op string, ch <-chan string) error {
	if u.bus != nil {
		if r, done := u.cancelQueued(id, op, ch); done {
			if r == "done" {
				return nil
			}
			return fmt.Errorf("unit %s: %s %s", name, op, r)
		}
	}
	return fmt.Errorf("unit %s: %s: %w", name, op, ErrJobInterrupted)
}
