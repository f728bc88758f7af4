package deploy

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// interrupting is a fakeHost whose deploy is interrupted (cancel, as
// SIGINT does) when the deploy runs the command matching at: that
// command then ends as ssh killed by the context's end does.
type interrupting struct {
	*fakeHost
	at     string
	cancel context.CancelFunc
}

func (i *interrupting) Run(ctx context.Context, h Host, r Remote) error {
	if strings.Contains(r.Command, i.at) {
		i.cancel()
		return ctx.Err()
	}
	return i.fakeHost.Run(ctx, h, r)
}

// TestDeployerInterrupted: an interrupted deploy starts no more hosts
// and reports the one under way with what becomes of it: in the middle
// of its switch, that the host rolls back by itself after its
// confirm_timeout; during its health checks, that it rolls back to its
// generation before, neither confirmed nor refused.
func TestDeployerInterrupted(t *testing.T) {
	for _, tt := range []struct {
		name, at string
		follows  []func(int) (string, error)
		want     Result
	}{
		{"before the switch", "deploy-agent --receive", nil,
			Result{Outcome: Interrupted, Why: "before it switched; nothing changed on it"}},
		{"during the switch", "deploy-agent --follow", nil,
			Result{Outcome: Interrupted, Why: "during its switch, which goes on there, detached; with no confirmation, the host rolls back by itself 8s (confirm_timeout) after it switches"}},
		{"during the health checks", "health", []func(int) (string, error){
			func(int) (string, error) { return status(Status{State: StateAwaiting, From: 1, To: 2}), nil },
		}, Result{Outcome: Interrupted, From: 1, To: 2, Why: "before its switch was confirmed: the host rolls back to generation 1 by itself within 8s (confirm_timeout)"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			fh := &fakeHost{t: t, files: map[string][]byte{}, follows: tt.follows}
			d := newDeployer(t, fh)
			d.T = &interrupting{fakeHost: fh, at: tt.at, cancel: cancel}
			hosts := []Host{
				{Name: "web1", Target: "web1", MagicRollback: true, ConfirmTimeout: 8 * time.Second,
					HealthChecks: []HealthCheck{{Command: "health", Timeout: time.Second}}},
				{Name: "web2", Target: "web2", MagicRollback: true, ConfirmTimeout: 8 * time.Second},
			}
			var buf bytes.Buffer
			rs := d.Run(ctx, hosts, 1, 0, NewOutput(&buf))
			got := rs[0]
			got.Took, got.StreamBytes = 0, 0
			tt.want.Host = "web1"
			if got != tt.want {
				t.Errorf("web1: %+v\nwant  %+v\n%s", got, tt.want, buf.String())
			}
			if r := rs[1]; r.Outcome != Skipped || r.Why != "interrupted" {
				t.Errorf("web2: %+v", r)
			}
			if want := "web1: interrupted: " + tt.want.Why + "\n"; !strings.Contains(buf.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, buf.String())
			}
			for _, c := range fh.cmds {
				if strings.Contains(c, "deploy-agent --confirm ") || strings.Contains(c, "deploy-agent --refuse ") {
					t.Errorf("an interrupted deploy ran %s", c)
				}
			}
			if strings.Contains(buf.String(), "web2") {
				t.Errorf("web2 was started:\n%s", buf.String())
			}
		})
	}
}
