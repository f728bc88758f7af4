package hostname_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/hostname"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
)

// machine is a temporary --root whose /etc/hostname the tests set.
type testMachine struct {
	t    *testing.T
	root string
	sys  *system.Rooted
}

func newMachine(t *testing.T, name string) *testMachine {
	t.Helper()
	m := &testMachine{t: t, root: t.TempDir()}
	m.sys = system.NewRooted(m.root, system.NewReal())
	if err := os.MkdirAll(filepath.Join(m.root, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	if name != "" {
		m.set(name)
	}
	return m
}

func (m *testMachine) set(name string) {
	m.t.Helper()
	if err := os.WriteFile(filepath.Join(m.root, "etc/hostname"), []byte(name+"\n"), 0o644); err != nil {
		m.t.Fatal(err)
	}
}

func (m *testMachine) live() string {
	m.t.Helper()
	n, err := m.sys.Hostname(context.Background())
	if err != nil {
		m.t.Fatal(err)
	}
	return n
}

func str(s string) *string { return &s }

func recs(name, orig *string) json.RawMessage {
	b, err := json.Marshal(&hostname.Records{Name: name, Original: orig})
	if err != nil {
		panic(err)
	}
	return b
}

func (m *testMachine) plan(p *hostname.Provider, applied json.RawMessage) *platform.Part {
	m.t.Helper()
	return providertest.PlanPart(m.t, p, applied)
}

func (m *testMachine) layout() *machine.Machine {
	return &machine.Machine{Sys: m.sys, Offline: true, Privileged: true, OS: "linux"}
}

// apply runs every op of the part, as the engine does.
func (m *testMachine) apply(part *platform.Part) {
	m.t.Helper()
	providertest.ApplyOps(m.t, m.sys, part)
}

func record(t *testing.T, part *platform.Part) string {
	t.Helper()
	return string(providertest.PartRecords(t, part))
}

func TestPlan(t *testing.T) {
	tests := []struct {
		name     string
		live     string
		want     *string
		applied  json.RawMessage
		action   platform.Action
		before   string
		after    string
		drift    bool
		ops      int
		records  string
		warning  string
		liveThen string
	}{
		{name: "unmanaged and unset: nothing", live: "debian", records: `{}`, liveThen: "debian"},
		{name: "first set records the original", live: "debian", want: str("atlas"), action: platform.Update, before: "debian", after: "atlas", ops: 1,
			records: `{"name":"atlas","original":"debian"}`, liveThen: "atlas"},
		{name: "already as desired is adopted", live: "atlas", want: str("atlas"), action: platform.Update, after: "atlas",
			records: `{"name":"atlas","original":"atlas"}`, liveThen: "atlas"},
		{name: "managed and unchanged: nothing", live: "atlas", want: str("atlas"), applied: recs(str("atlas"), str("debian")),
			records: `{"name":"atlas","original":"debian"}`, liveThen: "atlas"},
		{name: "renamed on the machine already: no op", live: "hermes", want: str("hermes"), applied: recs(str("atlas"), str("debian")),
			action: platform.Update, before: "atlas", after: "hermes", records: `{"name":"hermes","original":"debian"}`, liveThen: "hermes"},
		{name: "renamed keeps the first original", live: "atlas", want: str("hermes"), applied: recs(str("atlas"), str("debian")),
			action: platform.Update, before: "atlas", after: "hermes", ops: 1, records: `{"name":"hermes","original":"debian"}`, liveThen: "hermes"},
		{name: "changed by hand is drift, set again", live: "manual", want: str("atlas"), applied: recs(str("atlas"), str("debian")),
			action: platform.Update, before: "manual", after: "atlas", drift: true, ops: 1, records: `{"name":"atlas","original":"debian"}`, liveThen: "atlas"},
		{name: "unset restores the original", live: "atlas", applied: recs(str("atlas"), str("debian")),
			action: platform.Restore, before: "atlas", after: "debian", ops: 1, records: `{}`, liveThen: "debian"},
		{name: "unset after a hand change leaves it", live: "manual", applied: recs(str("atlas"), str("debian")),
			records: `{}`, warning: `changed by hand to "manual"`, liveThen: "manual"},
		{name: "unset when back at the original already", live: "debian", applied: recs(str("atlas"), str("debian")),
			action: platform.Restore, before: "debian", records: `{}`, liveThen: "debian"},
		{name: "original without a static name clears it", live: "atlas", applied: recs(str("atlas"), str("")),
			action: platform.Restore, before: "atlas", after: "(no static host name)", ops: 1, records: `{}`, liveThen: ""},
		{name: "no static name at first", live: "", want: str("atlas"), action: platform.Update, before: "(no static host name)", after: "atlas", ops: 1,
			records: `{"name":"atlas","original":""}`, liveThen: "atlas"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMachine(t, tt.live)
			p := &hostname.Provider{Machine: m.layout(), Config: &hostname.Config{HostName: tt.want}}
			part := m.plan(p, tt.applied)
			if got := record(t, part); got != tt.records {
				t.Errorf("records = %s, want %s", got, tt.records)
			}
			// A record dropped while the name is left alone is a hidden
			// Forget change (so a generation records it).
			c := providertest.OneSetting(t, part, tt.action != "", tt.warning)
			if tt.action != "" && (c.ID != "hostname" || c.Action != tt.action || c.Before != tt.before || c.After != tt.after || (c.Drift != "") != tt.drift || len(c.Ops) != tt.ops) {
				t.Errorf("change = %+v\nwant action %s, %q → %q, drift %v, %d op(s)", c, tt.action, tt.before, tt.after, tt.drift, tt.ops)
			}
			m.apply(part)
			if got := m.live(); got != tt.liveThen {
				t.Errorf("after apply the host name is %q, want %q", got, tt.liveThen)
			}
			// A second plan from the new records changes nothing.
			again := m.plan(&hostname.Provider{Machine: m.layout(), Config: &hostname.Config{HostName: tt.want}}, json.RawMessage(record(t, part)))
			for _, c := range again.Changes {
				if len(c.Ops) > 0 {
					t.Errorf("second plan: %+v", c)
				}
			}
		})
	}
}

func TestRollbackRestoresTheOriginal(t *testing.T) {
	m := newMachine(t, "debian")
	// Generation 1 did not set the host name; generation 2 set atlas.
	gen1 := &hostname.Records{}
	gen2 := m.plan(&hostname.Provider{Machine: m.layout(), Config: &hostname.Config{HostName: str("atlas")}}, nil)
	m.apply(gen2)
	// Rolling back to generation 1 plans its records as desired.
	back := m.plan(&hostname.Provider{Machine: m.layout(), Records: gen1}, json.RawMessage(record(t, gen2)))
	if len(back.Changes) != 1 || back.Changes[0].Action != platform.Restore {
		t.Fatalf("rollback changes = %+v", back.Changes)
	}
	m.apply(back)
	if got := m.live(); got != "debian" {
		t.Errorf("after the rollback the host name is %q, want debian", got)
	}
	// And forward again, from generation 2's records (the original they
	// keep is used when the applied ones have none).
	var r2 hostname.Records
	if err := json.Unmarshal([]byte(record(t, gen2)), &r2); err != nil {
		t.Fatal(err)
	}
	fwd := m.plan(&hostname.Provider{Machine: m.layout(), Records: &r2}, recs(nil, nil))
	m.apply(fwd)
	if got := m.live(); got != "atlas" || record(t, fwd) != `{"name":"atlas","original":"debian"}` {
		t.Errorf("forward again: %q, records %s", got, record(t, fwd))
	}
}

func TestSkipped(t *testing.T) {
	m := newMachine(t, "debian")
	for _, tt := range []struct {
		l     *machine.Machine
		notes int
	}{
		{&machine.Machine{Sys: m.sys, OS: "linux"}, 1},                                   // unprivileged, live: a note
		{&machine.Machine{Sys: m.sys, Offline: true, Privileged: true, OS: "darwin"}, 0}, // macOS: platform/macos/names
		{&machine.Machine{Sys: m.sys, Privileged: true, OS: "darwin"}, 0},
	} {
		l := tt.l
		applied := recs(str("x"), str("y"))
		part := m.plan(&hostname.Provider{Machine: l, Config: &hostname.Config{HostName: str("atlas")}}, applied)
		if len(part.Changes) != 0 || len(part.Notes) != tt.notes {
			t.Errorf("%+v: changes %+v, notes %q", l, part.Changes, part.Notes)
		}
		if got := record(t, part); got != `{"name":"x","original":"y"}` {
			t.Errorf("skipped plan records %s, want the applied ones", got)
		}
	}
	if _, err := (&hostname.Provider{Machine: m.layout(), Config: &hostname.Config{HostName: str("")}}).Plan(context.Background(), nil); err == nil {
		t.Error("an empty host name was accepted")
	}
}

func TestSetOp(t *testing.T) {
	ctx := context.Background()
	m := newMachine(t, "debian")
	op := &hostname.SetOp{Name: "atlas", Prev: "debian"}
	// Undo before Apply changes nothing.
	if err := op.Undo(ctx, m.sys); err != nil || m.live() != "debian" {
		t.Fatalf("undo before apply: %v, %q", err, m.live())
	}
	if err := op.Apply(ctx, m.sys); err != nil || m.live() != "atlas" {
		t.Fatalf("apply: %v, %q", err, m.live())
	}
	if err := op.Undo(ctx, m.sys); err != nil || m.live() != "debian" {
		t.Fatalf("undo: %v, %q", err, m.live())
	}
	// A name changed since the plan is refused, and not undone.
	m.set("manual")
	err := op.Apply(ctx, m.sys)
	if !errors.Is(err, platform.ErrUnchanged) || m.live() != "manual" {
		t.Errorf("apply over a hand change: %v, %q", err, m.live())
	}
	if err := op.Undo(ctx, m.sys); err != nil || m.live() != "manual" {
		t.Errorf("undo over a hand change: %v, %q", err, m.live())
	}
	// Through the journal's encoding.
	data, _ := json.Marshal(op)
	var back hostname.SetOp
	if err := json.Unmarshal(data, &back); err != nil || back != *op {
		t.Errorf("round trip: %+v, %v", back, err)
	}
}
