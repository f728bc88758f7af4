package main

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"
	"testing"
	"time"

	"github.com/gocfg/gocfg/platform/system"
)

// TestRetryUnchanged: the agent's rollback is tried again while it
// fails in a way that waiting may mend and changes nothing (tester AP: a
// file system another user filled), until it works, it changes
// something, or rollbackRetryFor has passed since it began, however long
// each try takes (reviewer R11); other failures are not tried again.
func TestRetryUnchanged(t *testing.T) {
	full := fmt.Errorf("write journal: %w", &fs.PathError{Op: "write", Path: "/var/lib/gocfg/journal.json", Err: syscall.ENOSPC})
	busy := withHints(busyError{&system.LockedError{Path: "/var/lib/gocfg/lock", PID: 42}}, "wait")
	other := errors.New("a unit of hers failed to start")
	shown := reportedError{fmt.Errorf("plan: %w", full)}
	tries := func(every time.Duration) int { return int(rollbackRetryFor/every) + 1 }
	for _, tc := range []struct {
		name      string
		results   []error // what each try returns; the last one from then on
		took      time.Duration
		partial   bool
		changed   bool // after a failed try, something changed
		wantTries int
		wantErr   bool
	}{
		{"works at once", []error{nil}, 0, false, false, 1, false},
		{"works at the third try", []error{full, full, nil}, 0, false, false, 3, false},
		{"the state held, then free", []error{busy, nil}, 0, false, false, 2, false},
		{"full, in an error shown already", []error{shown, nil}, 0, false, false, 2, false},
		{"never works", []error{full}, 0, false, false, tries(rollbackRetryEvery), true},
		{"never works, slow tries", []error{full}, 25 * time.Second, false, false, tries(rollbackRetryEvery + 25*time.Second), true},
		{"a failure waiting does not mend", []error{other}, 0, false, false, 1, true},
		{"a failure that changed something", []error{full}, 0, false, true, 1, true},
		{"partial", []error{full}, 0, true, false, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			clock := time.Unix(0, 0)
			code, err := retryUnchanged(func() (int, error) {
				err := tc.results[min(n, len(tc.results)-1)]
				n++
				clock = clock.Add(tc.took)
				switch {
				case err != nil && tc.partial:
					return exitPartial, err
				case err != nil:
					return exitError, err
				}
				return exitOK, nil
			}, func() bool { return !tc.changed }, func(error, time.Duration) {}, func(d time.Duration) { clock = clock.Add(d) }, func() time.Time { return clock })
			if n != tc.wantTries {
				t.Errorf("%d tries, want %d", n, tc.wantTries)
			}
			if (err != nil) != tc.wantErr {
				t.Errorf("error %v (exit %d), want one: %v", err, code, tc.wantErr)
			}
		})
	}
}
