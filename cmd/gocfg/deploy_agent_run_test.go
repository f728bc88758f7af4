package main

import (
	"errors"
	"testing"
	"time"
)

// TestRetryUnchanged: the agent's rollback is tried again while it
// fails and changes nothing (tester AP: a file system another user
// filled), until it works, it changes something, or its time is up.
func TestRetryUnchanged(t *testing.T) {
	full := errors.New("write journal: no space left on device")
	for _, tc := range []struct {
		name      string
		results   []error // what each try returns; the last one from then on
		partial   bool
		changed   bool // after a failed try, something changed
		wantTries int
		wantErr   bool
	}{
		{"works at once", []error{nil}, false, false, 1, false},
		{"works at the third try", []error{full, full, nil}, false, false, 3, false},
		{"never works", []error{full}, false, false, int(rollbackRetryFor/rollbackRetryEvery) + 1, true},
		{"a failure that changed something", []error{full}, false, true, 1, true},
		{"partial", []error{full}, true, false, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tries, slept := 0, time.Duration(0)
			code, err := retryUnchanged(func() (int, error) {
				err := tc.results[min(tries, len(tc.results)-1)]
				tries++
				if err != nil && tc.partial {
					return exitPartial, err
				}
				if err != nil {
					return exitError, err
				}
				return exitOK, nil
			}, func() bool { return !tc.changed }, func(error, time.Duration) {}, func(d time.Duration) { slept += d })
			if tries != tc.wantTries {
				t.Errorf("%d tries, want %d", tries, tc.wantTries)
			}
			if (err != nil) != tc.wantErr {
				t.Errorf("error %v (exit %d), want one: %v", err, code, tc.wantErr)
			}
			if want := time.Duration(tc.wantTries-1) * rollbackRetryEvery; slept != want {
				t.Errorf("waited %v in all, want %v", slept, want)
			}
		})
	}
}
