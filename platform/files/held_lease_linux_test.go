package files

import (
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/testfs"
)

// TestPlanHeldLease (tester AA): alice holds a write lease on her copy
// (fcntl F_SETLEASE, which any owner may take, and take again each time
// the kernel breaks it), so root's non-blocking open of it fails with
// EWOULDBLOCK. That failed root's whole plan, status and switch, for
// everyone. It holds her home alone.
func TestPlanHeldLease(t *testing.T) {
	cfg := func(v string) *Config {
		return &Config{
			Home: map[string]HomeConfig{
				"alice": {Files: map[string]HomeFile{".copied": copyText("alice " + v)}},
				"bob":   {Files: map[string]HomeFile{".zshrc": text("bob " + v)}},
			},
		}
	}
	fx := newFixture(t)
	fx.mkdir("/home/bob")
	fx.switchTo(cfg("v1"))
	testfs.Lease(t, fx.Host("/home/alice/.copied"))
	p, _, err := fx.plan(cfg("v2"))
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	var held bool
	for _, cf := range p.Conflicts {
		held = held || cf.Held && strings.HasPrefix(cf.ID, "file:~alice") && strings.Contains(cf.Problem, "its owner holds a lease on it") &&
			len(cf.Remedies) == 1 && strings.Contains(cf.Remedies[0].Text, "lets it go")
	}
	if !held {
		t.Errorf("alice's home is not held, saying why: conflicts %+v", p.Conflicts)
	}
	var got []string
	for _, ch := range p.Shown() {
		got = append(got, ch.ID)
	}
	if want := "file:~bob/.zshrc"; strings.Join(got, " ") != want {
		t.Errorf("changes %v, want %s", got, want)
	}
}
