package platform_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform"
)

// mappedLogSize is the room a switch of nops ops reserves for its log:
// every "done K" line and "flipped".
func mappedLogSize(nops int) int {
	n := len("flipped\n")
	for i := range nops {
		n += len(fmt.Sprintf("done %d\n", i))
	}
	return n
}

// TestSwitchLogIsMapped: on Linux a switch's progress log is a shared
// mapping (system.MapLog): during the switch the file holds the lines of
// the ops done, then spaces up to the room of every line; what a
// process killed there (SIGKILL, not this test's panic, which lets the
// log close) leaves. Recovery believes such a log: it undoes the ops
// done and the next one, and counts them. Spaces followed by NUL bytes,
// what a power loss can leave of it, are not believed.
func TestSwitchLogIsMapped(t *testing.T) {
	for _, tc := range []struct {
		name, tail, distrust string
	}{
		{"killed", "", ""},
		{"power loss after a kill", "\x00\x00\x00\x00", "ends in a torn line"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := richMachine(t)
			p, sw := m.plan(richGen2(), ".bak")
			nops := countOps(p)
			before := m.snapshot("/", storeDir)
			eng := m.engine()
			type killed struct{}
			var during []byte
			eng.Fault = func(point string) {
				if point != "op-3" {
					return
				}
				var err error
				if during, err = os.ReadFile(m.Host(logPath(m))); err != nil {
					t.Errorf("read the log during the switch: %v", err)
				}
				panic(killed{})
			}
			func() {
				defer func() {
					if r := recover(); r != (killed{}) {
						t.Fatalf("the switch did not stop at op-3: %v", r)
					}
				}()
				_, _ = eng.Switch(t.Context(), sw)
			}()
			lines := "done 0\ndone 1\n"
			want := lines + strings.Repeat(" ", mappedLogSize(nops)-len(lines))
			if string(during) != want {
				t.Fatalf("the log during the switch holds %q, want %q", during, want)
			}
			// What SIGKILL leaves: the log as it was at op-3.
			if err := os.WriteFile(m.Host(logPath(m)), append(during, tc.tail...), 0o600); err != nil {
				t.Fatal(err)
			}

			r, err := m.engine().Recover(t.Context())
			if err != nil || r == nil || r.Finished {
				t.Fatalf("Recover = %+v, %v", r, err)
			}
			wantUndone := 2
			if tc.distrust != "" {
				// What may have run: every op that checks what is there,
				// and the others up to op 3 (TestRecoverAfterPowerLoss).
				wantUndone = nops - uncheckedAfter(p, 2)
			}
			if !strings.Contains(r.Distrust, tc.distrust) || (tc.distrust == "") != (r.Distrust == "") || r.Undone != wantUndone {
				t.Errorf("Distrust %q, Undone %d; want %q, %d", r.Distrust, r.Undone, tc.distrust, wantUndone)
			}
			m.checkUndone(before)
		})
	}
}

// uncheckedAfter counts the ops of p after index k (as the engine runs
// them: p has no early flip) that are not platform.SelfChecking.
func uncheckedAfter(p *platform.Plan, k int) int {
	n, i := 0, 0
	for _, c := range p.Changes {
		for _, op := range c.Ops {
			if _, ok := op.(platform.SelfChecking); !ok && i > k {
				n++
			}
			i++
		}
	}
	return n
}
