package keyboard_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/internal/macfake"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/macos/keyboard"
	"github.com/gocfg/gocfg/platform/system"
)

// HID usages (0x700000000 | key).
const (
	capsLock    = 0x700000039
	escape      = 0x700000029
	leftControl = 0x7000000E0
	leftOption  = 0x7000000E2
	leftCommand = 0x7000000E3
)

var (
	capsToEscape  = []keyboard.Pair{{Src: capsLock, Dst: escape}}
	capsToControl = []keyboard.Pair{{Src: capsLock, Dst: leftControl}}
	swapCmdOpt    = []keyboard.Pair{{Src: leftCommand, Dst: leftOption}, {Src: leftOption, Dst: leftCommand}}
)

// machine is a fake Mac whose HID system holds a key mapping.
type testMachine struct {
	t    *testing.T
	fake *macfake.Fake
}

func newMachine(t *testing.T, self string, live []keyboard.Pair) *testMachine {
	t.Helper()
	m := &testMachine{t: t, fake: macfake.New(system.NewRooted(t.TempDir(), system.NewReal()), self)}
	if err := m.fake.AddUser(macfake.UserRecord{Name: "alice", UID: 501, GID: 20}); err != nil {
		t.Fatal(err)
	}
	m.set(live)
	return m
}

// set sets the live mapping behind gocfg's back; nil is "never set"
// (after a restart).
func (m *testMachine) set(p []keyboard.Pair) {
	m.t.Helper()
	var kp []macfake.KeyPair
	if p != nil {
		kp = []macfake.KeyPair{}
		for _, x := range p {
			kp = append(kp, macfake.KeyPair{Src: x.Src, Dst: x.Dst})
		}
	}
	if err := m.fake.SetUserKeyMapping(kp); err != nil {
		m.t.Fatal(err)
	}
}

// live returns the fake's mapping (nil when never set).
func (m *testMachine) live() []keyboard.Pair {
	m.t.Helper()
	kp, set, err := m.fake.UserKeyMapping()
	if err != nil {
		m.t.Fatal(err)
	}
	if !set {
		return nil
	}
	out := []keyboard.Pair{}
	for _, x := range kp {
		out = append(out, keyboard.Pair{Src: x.Src, Dst: x.Dst})
	}
	return out
}

func (m *testMachine) layout() *machine.Machine { return &machine.Machine{Sys: m.fake} }

func (m *testMachine) plan(p *keyboard.Provider, applied json.RawMessage) *platform.Part {
	m.t.Helper()
	return providertest.PlanPart(m.t, p, applied)
}

// apply runs every op of the part, as the engine does.
func (m *testMachine) apply(part *platform.Part) {
	m.t.Helper()
	providertest.ApplyOps(m.t, m.fake, part)
}

// commands returns the commands run since the last call, without the
// read-only --get ones.
func (m *testMachine) commands() []string {
	m.t.Helper()
	lines := providertest.TakeLog(m.t, m.fake)
	var out []string
	for _, l := range lines {
		if !strings.Contains(l, "--get") {
			out = append(out, l)
		}
	}
	return out
}

func record(t *testing.T, part *platform.Part) string {
	t.Helper()
	return string(providertest.PartRecords(t, part))
}

func recs(mapping []keyboard.Pair, original []keyboard.Pair) json.RawMessage {
	r := &keyboard.Records{Mapping: mapping}
	if original != nil {
		r.Original = &original
	}
	b, err := json.Marshal(r)
	if err != nil {
		panic(err)
	}
	return b
}

const (
	setCapsToEscape = `[root] /usr/bin/hidutil property --set '{"UserKeyMapping":[{"HIDKeyboardModifierMappingSrc":30064771129,"HIDKeyboardModifierMappingDst":30064771113}]}'`
	setEmpty        = `[root] /usr/bin/hidutil property --set '{"UserKeyMapping":[]}'`
	recCapsToEscape = `{"mapping":[{"src":30064771129,"dst":30064771113}],"original":[]}`
)

func TestPlan(t *testing.T) {
	none := []keyboard.Pair{}
	tests := []struct {
		name     string
		live     []keyboard.Pair
		want     []keyboard.Pair
		applied  json.RawMessage
		action   platform.Action
		before   string
		after    string
		drift    string
		commands []string
		records  string
		warning  string
		liveThen []keyboard.Pair
	}{
		{name: "unmanaged and empty: nothing", records: `{}`},
		{name: "first set records that there was none", want: capsToEscape,
			action: platform.Update, before: "(no mapping)", after: "Caps Lock → Escape",
			commands: []string{setCapsToEscape}, records: recCapsToEscape, liveThen: capsToEscape},
		{name: "first set records the mapping that was live", live: swapCmdOpt, want: capsToEscape,
			action: platform.Update, before: "Left Command → Left Option, Left Option → Left Command", after: "Caps Lock → Escape",
			commands: []string{setCapsToEscape}, records: `{"mapping":[{"src":30064771129,"dst":30064771113}],"original":[{"src":30064771299,"dst":30064771298},{"src":30064771298,"dst":30064771299}]}`, liveThen: capsToEscape},
		{name: "already as desired is adopted", live: capsToEscape, want: capsToEscape,
			action: platform.Update, after: "Caps Lock → Escape", records: `{"mapping":[{"src":30064771129,"dst":30064771113}],"original":[{"src":30064771129,"dst":30064771113}]}`, liveThen: capsToEscape},
		{name: "managed and unchanged: nothing", live: capsToEscape, want: capsToEscape, applied: recs(capsToEscape, none),
			records: recCapsToEscape, liveThen: capsToEscape},
		{name: "changed keeps the first original", live: capsToEscape, want: capsToControl, applied: recs(capsToEscape, none),
			action: platform.Update, before: "Caps Lock → Escape", after: "Caps Lock → Left Control",
			commands: []string{`[root] /usr/bin/hidutil property --set '{"UserKeyMapping":[{"HIDKeyboardModifierMappingSrc":30064771129,"HIDKeyboardModifierMappingDst":30064771296}]}'`},
			records:  `{"mapping":[{"src":30064771129,"dst":30064771296}],"original":[]}`, liveThen: capsToControl},
		{name: "cleared by a restart is set again", live: nil, want: capsToEscape, applied: recs(capsToEscape, none),
			action: platform.Update, before: "(no mapping)", after: "Caps Lock → Escape", drift: "cleared since gocfg set it",
			commands: []string{setCapsToEscape}, records: recCapsToEscape, liveThen: capsToEscape},
		{name: "changed by hand is drift, set again", live: swapCmdOpt, want: capsToEscape, applied: recs(capsToEscape, none),
			action: platform.Update, before: "Left Command → Left Option, Left Option → Left Command", after: "Caps Lock → Escape", drift: "changed by hand",
			commands: []string{setCapsToEscape}, records: recCapsToEscape, liveThen: capsToEscape},
		{name: "turned off clears the mapping", live: capsToEscape, applied: recs(capsToEscape, none),
			action: platform.Restore, before: "Caps Lock → Escape", after: "(no mapping)",
			commands: []string{setEmpty}, records: `{}`, liveThen: none},
		{name: "turned off puts the original back", live: capsToEscape, applied: recs(capsToEscape, swapCmdOpt),
			action: platform.Restore, before: "Caps Lock → Escape", after: "Left Command → Left Option, Left Option → Left Command",
			commands: []string{`[root] /usr/bin/hidutil property --set '{"UserKeyMapping":[{"HIDKeyboardModifierMappingSrc":30064771299,"HIDKeyboardModifierMappingDst":30064771298},{"HIDKeyboardModifierMappingSrc":30064771298,"HIDKeyboardModifierMappingDst":30064771299}]}'`},
			records:  `{}`, liveThen: swapCmdOpt},
		{name: "turned off after a restart: nothing to clear", live: nil, applied: recs(capsToEscape, none),
			action: platform.Restore, before: "(no mapping)", records: `{}`, liveThen: nil},
		{name: "turned off after a hand change leaves it", live: swapCmdOpt, applied: recs(capsToEscape, none),
			records: `{}`, warning: "changed by hand to Left Command → Left Option", liveThen: swapCmdOpt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMachine(t, "root", tt.live)
			p := &keyboard.Provider{Machine: m.layout(), Config: &keyboard.Config{UserKeyMapping: tt.want}}
			part := m.plan(p, tt.applied)
			if got := record(t, part); got != tt.records {
				t.Errorf("records = %s, want %s", got, tt.records)
			}
			c := providertest.OneSetting(t, part, tt.action != "", tt.warning)
			if tt.action != "" && (c.ID != keyboard.ID || c.Action != tt.action || c.Before != tt.before || c.After != tt.after || !contains(c.Drift, tt.drift)) {
				t.Errorf("change = %+v\nwant %s, %q → %q, drift %q", c, tt.action, tt.before, tt.after, tt.drift)
			}
			m.commands()
			m.apply(part)
			if got := m.commands(); !slices.Equal(got, tt.commands) {
				t.Errorf("commands:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.commands, "\n"))
			}
			if got := m.live(); !slices.Equal(got, tt.liveThen) || (got == nil) != (tt.liveThen == nil) {
				t.Errorf("after apply the mapping is %v, want %v", got, tt.liveThen)
			}
			// A second plan from the new records changes nothing.
			again := m.plan(&keyboard.Provider{Machine: m.layout(), Config: &keyboard.Config{UserKeyMapping: tt.want}}, json.RawMessage(record(t, part)))
			if len(again.Changes) != 0 {
				t.Errorf("second plan: %+v", again.Changes)
			}
		})
	}
}

func contains(s, sub string) bool {
	if sub == "" {
		return s == ""
	}
	return strings.Contains(s, sub)
}

// TestRollback: rolling back to a generation without a mapping clears
// it; forward again sets it, keeping the original.
func TestRollback(t *testing.T) {
	m := newMachine(t, "root", nil)
	gen2 := m.plan(&keyboard.Provider{Machine: m.layout(), Config: &keyboard.Config{UserKeyMapping: capsToEscape}}, nil)
	m.apply(gen2)
	back := m.plan(&keyboard.Provider{Machine: m.layout(), Records: &keyboard.Records{}}, json.RawMessage(record(t, gen2)))
	if len(back.Changes) != 1 || back.Changes[0].Action != platform.Restore {
		t.Fatalf("rollback changes = %+v", back.Changes)
	}
	m.apply(back)
	if got := m.live(); len(got) != 0 {
		t.Errorf("after the rollback the mapping is %v, want none", got)
	}
	var r2 keyboard.Records
	if err := json.Unmarshal([]byte(record(t, gen2)), &r2); err != nil {
		t.Fatal(err)
	}
	fwd := m.plan(&keyboard.Provider{Machine: m.layout(), Records: &r2}, json.RawMessage(record(t, back)))
	m.apply(fwd)
	if got := m.live(); !slices.Equal(got, capsToEscape) || record(t, fwd) != recCapsToEscape {
		t.Errorf("forward again: %v, records %s", got, record(t, fwd))
	}
}

// TestSetOp: Undo before Apply changes nothing; Undo after Apply puts
// the exact previous mapping back; a mapping changed since the plan is
// refused and left alone.
func TestSetOp(t *testing.T) {
	ctx := context.Background()
	m := newMachine(t, "root", swapCmdOpt)
	op := &keyboard.SetOp{Mapping: capsToEscape, Prev: swapCmdOpt}
	if err := op.Undo(ctx, m.fake); err != nil || !slices.Equal(m.live(), swapCmdOpt) {
		t.Fatalf("undo before apply: %v, %v", err, m.live())
	}
	if err := op.Apply(ctx, m.fake); err != nil || !slices.Equal(m.live(), capsToEscape) {
		t.Fatalf("apply: %v, %v", err, m.live())
	}
	if err := op.Apply(ctx, m.fake); err != nil {
		t.Fatalf("apply again: %v", err)
	}
	if err := op.Undo(ctx, m.fake); err != nil || !slices.Equal(m.live(), swapCmdOpt) {
		t.Fatalf("undo: %v, %v", err, m.live())
	}
	m.set(capsToControl)
	if err := op.Apply(ctx, m.fake); !errors.Is(err, platform.ErrUnchanged) || !slices.Equal(m.live(), capsToControl) {
		t.Errorf("apply over a hand change: %v, %v", err, m.live())
	}
	if err := op.Undo(ctx, m.fake); err != nil || !slices.Equal(m.live(), capsToControl) {
		t.Errorf("undo over a hand change: %v, %v", err, m.live())
	}
	// Clearing: undo sets the previous mapping again.
	clear := &keyboard.SetOp{Mapping: nil, Prev: capsToControl}
	if err := clear.Apply(ctx, m.fake); err != nil || len(m.live()) != 0 {
		t.Fatalf("clear: %v, %v", err, m.live())
	}
	if err := clear.Undo(ctx, m.fake); err != nil || !slices.Equal(m.live(), capsToControl) {
		t.Fatalf("undo the clear: %v, %v", err, m.live())
	}
	// Through the journal's encoding.
	data, _ := json.Marshal(op)
	var back keyboard.SetOp
	if err := json.Unmarshal(data, &back); err != nil || !slices.Equal(back.Mapping, op.Mapping) || !slices.Equal(back.Prev, op.Prev) {
		t.Errorf("round trip: %+v, %v", back, err)
	}
}

// TestOffline: under --root nothing runs and the records stay.
func TestOffline(t *testing.T) {
	m := newMachine(t, "root", nil)
	l := m.layout()
	l.Offline = true
	part := m.plan(&keyboard.Provider{Machine: l, Config: &keyboard.Config{UserKeyMapping: capsToEscape}}, recs(capsToControl, nil))
	if len(part.Changes) != 0 || len(part.Notes) != 1 || !strings.Contains(part.Notes[0], "hidutil is not run") {
		t.Errorf("changes %+v, notes %q", part.Changes, part.Notes)
	}
	if got := record(t, part); got != `{"mapping":[{"src":30064771129,"dst":30064771296}]}` {
		t.Errorf("records %s, want the applied ones", got)
	}
	if lines, _ := m.fake.Log(); len(lines) != 0 {
		t.Errorf("commands run offline: %q", lines)
	}
}

// TestUnprivileged: a user's own run sets the mapping with a plain
// hidutil, as that user.
func TestUnprivileged(t *testing.T) {
	m := newMachine(t, "alice", nil)
	part := m.plan(&keyboard.Provider{Machine: m.layout(), Config: &keyboard.Config{UserKeyMapping: capsToEscape}}, nil)
	m.commands()
	m.apply(part)
	want := []string{strings.Replace(setCapsToEscape, "[root]", "[alice]", 1)}
	if got := m.commands(); !slices.Equal(got, want) || !slices.Equal(m.live(), capsToEscape) {
		t.Errorf("commands %q, mapping %v", got, m.live())
	}
}

// TestDryRun: hidutil --get goes through Query in a dry run (which
// runs no command itself); without Query the plan refuses.
func TestDryRun(t *testing.T) {
	m := newMachine(t, "root", nil)
	dry := system.NewDryRun(m.fake)
	part := m.plan(&keyboard.Provider{Machine: &machine.Machine{Sys: dry, Query: m.fake}, Config: &keyboard.Config{UserKeyMapping: capsToEscape}}, nil)
	if len(part.Changes) != 1 || len(part.Changes[0].Ops) != 1 {
		t.Fatalf("changes %+v", part.Changes)
	}
	if len(dry.Log()) != 0 {
		t.Errorf("the plan ran through the dry run: %q", dry.Log())
	}
	if _, err := (&keyboard.Provider{Machine: &machine.Machine{Sys: dry}, Config: &keyboard.Config{UserKeyMapping: capsToEscape}}).Plan(context.Background(), nil); err == nil {
		t.Error("a dry run without Query planned")
	}
}
