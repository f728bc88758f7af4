package secrets_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/secrets"
)

// TestKilledSwitch: a switch that changes a secret, killed at every
// step and recovered by the next gocfg, leaves either the previous
// secret and set (undone) or the new ones (finished), never a mix, and
// no plaintext of an undone set.
func TestKilledSwitch(t *testing.T) {
	for k := 1; ; k++ {
		point := fmt.Sprintf("op-%d", k)
		r := newRig(t)
		cfg := r.config(map[string]secrets.Secret{"s": {File: r.encrypt("s", "OLD-PLAINTEXT"), Path: str("/etc/s"), Owner: "app", Mode: "0400"}})
		r.switchTo(cfg)
		r.encrypt("s", "NEW-PLAINTEXT")
		p := r.sw.Plan(&secrets.Provider{Machine: r.machine(), Config: cfg})
		n := 0
		for _, c := range p.Changes {
			n += len(c.Ops)
		}
		if k > n+1 {
			break
		}
		if k == n+1 {
			point = "flipped"
		}
		t.Run(point, func(t *testing.T) {
			providertest.KillAt(t, r.sw.Engine(), r.sw.SwitchNext(p), point)
			// The journal the kill left names ciphertexts, never content.
			r.noPlaintext("OLD-PLAINTEXT")
			r.noPlaintext("NEW-PLAINTEXT")
			if !strings.Contains(r.read("/var/lib/gocfg/journal.json"), "secrets.write") {
				t.Error("no journal left by the kill")
			}
			rec, err := r.sw.Engine().Recover(context.Background())
			if err != nil || rec == nil {
				t.Fatalf("Recover: %+v, %v", rec, err)
			}
			want, set := "OLD-PLAINTEXT", "secrets.d/1"
			if rec.Finished {
				want, set = "NEW-PLAINTEXT", "secrets.d/2"
			}
			if got := r.read("/run/gocfg/secrets/s"); got != want {
				t.Errorf("after recovery (finished %v) s = %q, want %q", rec.Finished, got, want)
			}
			if got := r.readlink("/run/gocfg/secrets"); got != set {
				t.Errorf("/run/gocfg/secrets -> %q, want %q", got, set)
			}
			if !rec.Finished && r.exists("/run/gocfg/secrets.d/2") {
				t.Error("the undone set is still there")
			}
			if rec.Finished && r.exists("/run/gocfg/secrets.d/1") {
				t.Error("the replaced set is still there after the finished switch")
			}
			if p := r.sw.Plan(&secrets.Provider{Machine: r.machine(), Config: cfg}); rec.Finished && !p.Empty() {
				t.Errorf("plan after a finished recovery: %q", shown(p))
			}
		})
	}
}
