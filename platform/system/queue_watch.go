package system

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// WatchQueue watches, until done is called, every job in the system
// manager's queue, whoever queued it, as the watch of account waits
// watches gocfg's own (Real.SetAccountWatch): a start or stop job that
// still waits, when the bound has passed since it was first seen, for a
// unit that runs as an ordinary account is cancelled. It is for a step
// whose command queues jobs of its own (a start, stop or reload queued
// since the watch began, waiting, or running with her processes in its
// unit): a package's maintainer script
// (deb-systemd-invoke start) queued behind her unit held root's apt, the
// dpkg lock and the switch without end (tester AH). The command then
// fails as the cancelled job makes it; done returns what was cancelled,
// for its error. When ctx's interrupt comes (WithInterrupt), the bound
// no longer holds: such jobs are cancelled at the next look, as an
// interrupt ends the waits of gocfg's own jobs; that is any such job
// queued since the watch began, whoever queued it (reviewer R4). Without a manager, or on a System that does not watch
// (a Real without SetAccountWatch, --root), it does nothing.
func WatchQueue(ctx context.Context, sys System) (done func() []string) {
	nothing := func() []string { return nil }
	units, err := sys.Units(ctx, UnitScope{UID: -1, GID: -1})
	if err != nil {
		return nothing
	}
	u, ok := units.(*dbusUnits)
	if !ok || u.watch == nil || u.bus == nil {
		_ = units.Close()
		return nothing
	}
	w := *u.watch
	w.known = map[string]bool{}
	ctx, cancel := context.WithCancel(ctx)
	var (
		mu        sync.Mutex
		cancelled []string
		wg        sync.WaitGroup
	)
	// Only the jobs queued from now on: those queued before are not the
	// command's (reviewer); job ids only grow.
	after := 0
	if jobs, err := u.conn.ListJobsContext(ctx); err == nil {
		for _, j := range jobs {
			after = max(after, int(j.Id))
		}
	}
	interrupt := interruptOf(ctx)
	wg.Go(func() {
		seen := map[int]time.Time{}
		tick := time.NewTicker(accountWaitPoll)
		defer tick.Stop()
		bound := w.bound
		for {
			select {
			case <-ctx.Done():
				return
			case <-interrupt:
				// Interrupted: the command itself is never cut short,
				// but its jobs no longer wait out the bound (reviewer:
				// SIGTERM reached the waits of gocfg's own jobs, not
				// those of apt's maintainer scripts).
				interrupt, bound = nil, 0
			case <-tick.C:
			}
			jobs, err := u.conn.ListJobsContext(ctx)
			if err != nil {
				continue
			}
			now := time.Now()
			for _, j := range jobs {
				id := int(j.Id)
				if id <= after || (j.JobType != "start" && j.JobType != "stop" && j.JobType != "reload") {
					continue
				}
				first, ok := seen[id]
				if !ok {
					seen[id], first = now, now
				}
				if now.Sub(first) < bound {
					continue
				}
				look, cancelLook := context.WithTimeout(ctx, accountWaitLook)
				waits := u.waitsFor(look, id, j.Unit, w)
				cancelLook()
				if waits == nil {
					continue
				}
				u.cancelJob(id)
				delete(seen, id)
				why := fmt.Sprintf("past %v", w.bound)
				if bound == 0 {
					why = "when gocfg was interrupted"
				}
				mu.Lock()
				cancelled = append(cancelled, fmt.Sprintf("the %s job of %s, queued while it ran, waited for %s, which run as ordinary accounts, %s, and was cancelled", j.JobType, j.Unit, strings.Join(waits, ", "), why))
				mu.Unlock()
			}
		}
	})
	return func() []string {
		cancel()
		wg.Wait()
		_ = units.Close()
		mu.Lock()
		defer mu.Unlock()
		return cancelled
	}
}
