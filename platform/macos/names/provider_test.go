package names_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	json "github.com/goccy/go-json"

	"howett.net/plist"

	"github.com/gocfg/gocfg/internal/macfake"
	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/macos/names"
	"github.com/gocfg/gocfg/platform/system"
)

func str(s string) *string { return &s }

// newMac is a fake Mac whose names are ns, with gocfg run as root.
func newMac(t *testing.T, ns map[string]string) *macfake.Fake {
	t.Helper()
	f := macfake.New(system.NewRooted(t.TempDir(), system.NewReal()), "root")
	if err := f.SetNames(ns); err != nil {
		t.Fatal(err)
	}
	return f
}

func layout(f *macfake.Fake) *machine.Machine {
	return &machine.Machine{Sys: f, Privileged: true, OS: "darwin"}
}

func plan(t *testing.T, p *names.Provider, applied json.RawMessage) *platform.Part {
	t.Helper()
	return providertest.PlanPart(t, p, applied)
}

func apply(t *testing.T, sys system.System, part *platform.Part) {
	t.Helper()
	providertest.ApplyOps(t, sys, part)
}

func records(t *testing.T, part *platform.Part) string {
	t.Helper()
	return string(providertest.PartRecords(t, part))
}

// sets returns the scutil --set commands logged since the last call.
func sets(t *testing.T, f *macfake.Fake) []string {
	t.Helper()
	log := providertest.TakeLog(t, f)
	var out []string
	for _, l := range log {
		if strings.Contains(l, " --set ") {
			out = append(out, l)
		}
	}
	return out
}

func TestPlan(t *testing.T) {
	tests := []struct {
		name     string
		live     map[string]string
		cfg      names.Config
		applied  string
		want     []string // change lines
		warning  string
		records  string
		commands []string
		liveThen map[string]string
	}{
		{name: "unmanaged and unset: nothing", live: map[string]string{"HostName": "mac"}, records: `{}`, liveThen: map[string]string{"HostName": "mac"}},
		{
			name: "first set records the originals, not set included",
			live: map[string]string{"ComputerName": "Alice’s MacBook Pro", "LocalHostName": "Alices-MacBook-Pro"},
			cfg:  names.Config{HostName: str("atlas"), ComputerName: str("Atlas's Mac"), LocalHostName: str("atlas")},
			want: []string{
				"~ hostname:HostName (not set) → atlas [names.set]",
				"~ hostname:ComputerName Alice’s MacBook Pro → Atlas's Mac [names.set]",
				"~ hostname:LocalHostName Alices-MacBook-Pro → atlas [names.set]",
			},
			records: `{"HostName":{"name":"atlas","original":null},"ComputerName":{"name":"Atlas's Mac","original":"Alice’s MacBook Pro"},"LocalHostName":{"name":"atlas","original":"Alices-MacBook-Pro"}}`,
			commands: []string{
				"[root] /usr/sbin/scutil --set HostName atlas",
				`[root] /usr/sbin/scutil --set ComputerName 'Atlas'\''s Mac'`,
				"[root] /usr/sbin/scutil --set LocalHostName atlas",
			},
			liveThen: map[string]string{"HostName": "atlas", "ComputerName": "Atlas's Mac", "LocalHostName": "atlas"},
		},
		{
			name: "already as desired is adopted", live: map[string]string{"HostName": "atlas"}, cfg: names.Config{HostName: str("atlas")},
			want: []string{"~ hostname:HostName  → atlas []"}, records: `{"HostName":{"name":"atlas","original":"atlas"}}`,
			liveThen: map[string]string{"HostName": "atlas"},
		},
		{
			name: "managed and unchanged: nothing", live: map[string]string{"HostName": "atlas"}, cfg: names.Config{HostName: str("atlas")},
			applied: `{"HostName":{"name":"atlas","original":null}}`, records: `{"HostName":{"name":"atlas","original":null}}`,
			liveThen: map[string]string{"HostName": "atlas"},
		},
		{
			name: "renamed keeps the first original", live: map[string]string{"HostName": "atlas"}, cfg: names.Config{HostName: str("hermes")},
			applied: `{"HostName":{"name":"atlas","original":"mac"}}`,
			want:    []string{"~ hostname:HostName atlas → hermes [names.set]"}, records: `{"HostName":{"name":"hermes","original":"mac"}}`,
			commands: []string{"[root] /usr/sbin/scutil --set HostName hermes"}, liveThen: map[string]string{"HostName": "hermes"},
		},
		{
			name: "changed by hand is drift, set again", live: map[string]string{"LocalHostName": "manual"}, cfg: names.Config{LocalHostName: str("atlas")},
			applied: `{"LocalHostName":{"name":"atlas","original":null}}`,
			want:    []string{"~ hostname:LocalHostName manual → atlas [names.set] drift: changed by hand since gocfg set atlas"},
			records: `{"LocalHostName":{"name":"atlas","original":null}}`, liveThen: map[string]string{"LocalHostName": "atlas"},
			commands: []string{"[root] /usr/sbin/scutil --set LocalHostName atlas"},
		},
		{
			name: "unset restores the original", live: map[string]string{"ComputerName": "Atlas"},
			applied:  `{"ComputerName":{"name":"Atlas","original":"Alice’s Mac"}}`,
			want:     []string{"- hostname:ComputerName Atlas → Alice’s Mac [names.set]"},
			records:  `{}`,
			commands: []string{"[root] /usr/sbin/scutil --set ComputerName 'Alice’s Mac'"},
			liveThen: map[string]string{"ComputerName": "Alice’s Mac"},
		},
		{
			name: "unset restores not set with an empty value", live: map[string]string{"HostName": "atlas", "LocalHostName": "atlas"},
			applied:  `{"HostName":{"name":"atlas","original":null},"LocalHostName":{"name":"atlas","original":"mac"}}`,
			want:     []string{"- hostname:HostName atlas → (not set) [names.set]", "- hostname:LocalHostName atlas → mac [names.set]"},
			records:  `{}`,
			commands: []string{"[root] /usr/sbin/scutil --set HostName ''", "[root] /usr/sbin/scutil --set LocalHostName mac"},
			liveThen: map[string]string{"LocalHostName": "mac"},
		},
		{
			name: "unset after a hand change leaves it", live: map[string]string{"HostName": "manual"},
			applied: `{"HostName":{"name":"atlas","original":null}}`, warning: `networking.host_name: changed by hand to manual since gocfg set "atlas"`,
			records: `{}`, liveThen: map[string]string{"HostName": "manual"},
		},
		{
			name: "unset when back at the original already", live: map[string]string{},
			applied: `{"HostName":{"name":"atlas","original":null}}`,
			want:    []string{"- hostname:HostName (not set) →  []"}, records: `{}`, liveThen: map[string]string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newMac(t, tt.live)
			cfg := tt.cfg
			part := plan(t, &names.Provider{Machine: layout(f), Config: &cfg}, json.RawMessage(tt.applied))
			providertest.EqualLines(t, "changes", providertest.Lines{}.Of(part.Changes), tt.want)
			if got := records(t, part); got != tt.records {
				t.Errorf("records %s\nwant    %s", got, tt.records)
			}
			if tt.warning != "" && (len(part.Warnings) != 1 || !strings.Contains(part.Warnings[0], tt.warning)) {
				t.Errorf("warnings %q, want one with %q", part.Warnings, tt.warning)
			}
			_ = sets(t, f)
			apply(t, f, part)
			providertest.EqualLines(t, "commands", sets(t, f), tt.commands)
			live, err := f.Names()
			if err != nil {
				t.Fatal(err)
			}
			if len(live) != len(tt.liveThen) || !mapsEqual(live, tt.liveThen) {
				t.Errorf("names after apply %q, want %q", live, tt.liveThen)
			}
			// A second plan from the new records changes nothing.
			again := plan(t, &names.Provider{Machine: layout(f), Config: &cfg}, json.RawMessage(records(t, part)))
			for _, c := range again.Changes {
				if len(c.Ops) > 0 {
					t.Errorf("second plan: %+v", c)
				}
			}
		})
	}
}

func mapsEqual(a, b map[string]string) bool {
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return len(a) == len(b)
}

func TestRollbackRestoresTheOriginals(t *testing.T) {
	f := newMac(t, map[string]string{"ComputerName": "Alice’s MacBook Pro", "LocalHostName": "Alices-MacBook-Pro"})
	// Generation 1 set nothing; generation 2 sets all three names.
	gen2 := plan(t, &names.Provider{Machine: layout(f), Config: &names.Config{HostName: str("atlas"), ComputerName: str("Atlas"), LocalHostName: str("atlas")}}, nil)
	apply(t, f, gen2)
	_ = sets(t, f)
	back := plan(t, &names.Provider{Machine: layout(f), Records: &names.Records{}}, json.RawMessage(records(t, gen2)))
	apply(t, f, back)
	if got, _ := f.Names(); !mapsEqual(got, map[string]string{"ComputerName": "Alice’s MacBook Pro", "LocalHostName": "Alices-MacBook-Pro"}) {
		t.Errorf("after the rollback: %q", got)
	}
	want := []string{"[root] /usr/sbin/scutil --set HostName ''", "[root] /usr/sbin/scutil --set ComputerName 'Alice’s MacBook Pro'", "[root] /usr/sbin/scutil --set LocalHostName Alices-MacBook-Pro"}
	if got := sets(t, f); !slices.Equal(got, want) {
		t.Errorf("commands %q, want %q", got, want)
	}
	if got := records(t, back); got != `{}` {
		t.Errorf("records after the rollback %s", got)
	}
	// Forward again to generation 2 from its records: the originals they
	// keep stay recorded.
	var r2 names.Records
	if err := json.Unmarshal([]byte(records(t, gen2)), &r2); err != nil {
		t.Fatal(err)
	}
	fwd := plan(t, &names.Provider{Machine: layout(f), Records: &r2}, nil)
	apply(t, f, fwd)
	if got := records(t, fwd); got != records(t, gen2) {
		t.Errorf("forward records %s, want %s", got, records(t, gen2))
	}
	if got, _ := f.Names(); !mapsEqual(got, map[string]string{"HostName": "atlas", "ComputerName": "Atlas", "LocalHostName": "atlas"}) {
		t.Errorf("forward again: %q", got)
	}
}

func TestValidation(t *testing.T) {
	f := newMac(t, nil)
	for _, tt := range []struct {
		cfg  names.Config
		msg  string
		hint string
	}{
		{names.Config{LocalHostName: str("atlas.local")}, `networking.local_host_name: "atlas.local" is not a Bonjour name`, `use, for example, "atlas-local"`},
		{names.Config{LocalHostName: str("Alice’s Mac")}, `networking.local_host_name: "Alice’s Mac" is not a Bonjour name`, `use, for example, "Alice-s-Mac"`},
		{names.Config{LocalHostName: str("-atlas")}, "is not a Bonjour name", `"atlas"`},
		{names.Config{LocalHostName: str(strings.Repeat("a", 64))}, "is not a Bonjour name", ""},
		{names.Config{HostName: str("bad_name")}, `networking.host_name: "bad_name" is not an RFC 1123 host name`, ""},
		{names.Config{ComputerName: str("")}, "networking.computer_name: the name is empty", "leave networking.computer_name unset"},
		{names.Config{ComputerName: str("two\nlines")}, "networking.computer_name: \"two\\nlines\" holds a control character", ""},
	} {
		cfg := tt.cfg
		_, err := (&names.Provider{Machine: layout(f), Config: &cfg}).Plan(context.Background(), nil)
		var ce *platform.ConfigError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.msg) || !strings.Contains(ce.Hint, tt.hint) {
			t.Errorf("%+v: %v (hint %q), want %q, hint %q", tt.cfg, err, hintOf(ce), tt.msg, tt.hint)
		}
	}
	// Valid names plan.
	cfg := names.Config{HostName: str("atlas.example.org"), ComputerName: str("Alice’s Mac"), LocalHostName: str("Atlas-2")}
	if _, err := (&names.Provider{Machine: layout(f), Config: &cfg}).Plan(context.Background(), nil); err != nil {
		t.Errorf("valid names: %v", err)
	}
}

func hintOf(ce *platform.ConfigError) string {
	if ce == nil {
		return ""
	}
	return ce.Hint
}

func TestSkipped(t *testing.T) {
	f := newMac(t, map[string]string{"HostName": "mac"})
	applied := json.RawMessage(`{"HostName":{"name":"x","original":null}}`)
	cfg := &names.Config{HostName: str("atlas"), ComputerName: str("Atlas")}
	for _, tt := range []struct {
		l    *machine.Machine
		note string
	}{
		{&machine.Machine{Sys: f, OS: "darwin"}, "setting the names needs root (scutil --set); skipped"},
		{&machine.Machine{Sys: f, Privileged: true, OS: "linux"}, "networking.computer_name: macOS only; ignored on linux"},
	} {
		part := plan(t, &names.Provider{Machine: tt.l, Config: cfg}, applied)
		if len(part.Changes) != 0 || len(part.Notes) != 1 || !strings.Contains(part.Notes[0], tt.note) {
			t.Errorf("%+v: changes %+v, notes %q, want %q", tt.l, part.Changes, part.Notes, tt.note)
		}
		if got := records(t, part); got != string(applied) {
			t.Errorf("skipped plan records %s, want the applied ones", got)
		}
	}
	if log, _ := f.Log(); len(log) != 0 {
		t.Errorf("a skipped plan ran %q", log)
	}
}

func TestSetOp(t *testing.T) {
	ctx := context.Background()
	f := newMac(t, map[string]string{"HostName": "mac"})
	live := func() map[string]string {
		ns, err := f.Names()
		if err != nil {
			t.Fatal(err)
		}
		return ns
	}
	for _, op := range []*names.SetOp{
		{Key: "HostName", Name: str("atlas"), Prev: str("mac")},
		{Key: "HostName", Name: nil, Prev: str("mac")},
		{Key: "LocalHostName", Name: str("atlas"), Prev: nil},
	} {
		before := live()
		if err := op.Undo(ctx, f); err != nil || !mapsEqual(live(), before) {
			t.Fatalf("%s: undo before apply: %v, %q", op.Describe(), err, live())
		}
		if err := op.Apply(ctx, f); err != nil || mapsEqual(live(), before) {
			t.Fatalf("%s: apply: %v, %q", op.Describe(), err, live())
		}
		for i := 0; i < 2; i++ {
			if err := op.Undo(ctx, f); err != nil || !mapsEqual(live(), before) {
				t.Fatalf("%s: undo %d: %v, %q", op.Describe(), i+1, err, live())
			}
		}
		data, _ := json.Marshal(op)
		var back names.SetOp
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatal(err)
		}
		if again, _ := json.Marshal(&back); string(again) != string(data) {
			t.Errorf("round trip %s, want %s", again, data)
		}
	}
	// A name changed since the plan is refused, and not undone.
	if err := f.SetNames(map[string]string{"HostName": "manual"}); err != nil {
		t.Fatal(err)
	}
	op := &names.SetOp{Key: "HostName", Name: str("atlas"), Prev: str("mac")}
	if err := op.Apply(ctx, f); !errors.Is(err, platform.ErrUnchanged) || live()["HostName"] != "manual" {
		t.Errorf("apply over a hand change: %v, %q", err, live())
	}
	if err := op.Undo(ctx, f); err != nil || live()["HostName"] != "manual" {
		t.Errorf("undo over a hand change: %v, %q", err, live())
	}
	// scutil --set fails without root.
	user := macfake.New(f.System, "alice")
	if err := (&names.SetOp{Key: "HostName", Name: str("atlas"), Prev: str("manual")}).Apply(ctx, user); err == nil || !strings.Contains(err.Error(), "set the HostName (scutil --set HostName)") {
		t.Errorf("apply without root: %v", err)
	}
}

// Under --root the names live in the tree's preferences.plist, which
// keeps its format and every other key.
func TestOffline(t *testing.T) {
	for _, format := range []int{plist.XMLFormat, plist.BinaryFormat} {
		root := t.TempDir()
		sys := system.NewRooted(root, system.NewReal())
		prefs := map[string]any{
			"NetworkServices": map[string]any{"ABC": map[string]any{"UserDefinedName": "Wi-Fi"}},
			"System": map[string]any{
				"System":  map[string]any{"ComputerName": "Alice’s Mac", "ComputerNameEncoding": uint64(0x08000100)},
				"Network": map[string]any{"HostNames": map[string]any{"LocalHostName": "Alices-Mac"}},
			},
		}
		file := filepath.Join(root, names.PrefsFile)
		data, err := plist.Marshal(prefs, format)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		l := &machine.Machine{Sys: sys, Offline: true, OS: "darwin"} // no root needed for a tree
		cfg := &names.Config{HostName: str("atlas"), ComputerName: str("Atlas"), LocalHostName: str("atlas")}
		part := plan(t, &names.Provider{Machine: l, Config: cfg}, nil)
		if len(part.Changes) != 3 {
			t.Fatalf("changes %+v", part.Changes)
		}
		apply(t, sys, part)
		read := func() (map[string]any, int) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			f, err := plist.Unmarshal(data, &m)
			if err != nil {
				t.Fatal(err)
			}
			return m, f
		}
		m, got := read()
		sysm := m["System"].(map[string]any)["System"].(map[string]any)
		hn := m["System"].(map[string]any)["Network"].(map[string]any)["HostNames"].(map[string]any)
		if got != format || sysm["HostName"] != "atlas" || sysm["ComputerName"] != "Atlas" || hn["LocalHostName"] != "atlas" || m["NetworkServices"] == nil {
			t.Errorf("format %d: after the switch %v (format %d)", format, m, got)
		}
		if again := plan(t, &names.Provider{Machine: l, Config: cfg}, json.RawMessage(records(t, part))); len(again.Changes) != 0 {
			t.Errorf("second plan %+v", again.Changes)
		}
		// Unset: the originals come back, HostName removed.
		back := plan(t, &names.Provider{Machine: l, Config: &names.Config{}}, json.RawMessage(records(t, part)))
		apply(t, sys, back)
		m, _ = read()
		sysm = m["System"].(map[string]any)["System"].(map[string]any)
		hn = m["System"].(map[string]any)["Network"].(map[string]any)["HostNames"].(map[string]any)
		if _, has := sysm["HostName"]; has || sysm["ComputerName"] != "Alice’s Mac" || sysm["ComputerNameEncoding"] != uint64(0x08000100) || hn["LocalHostName"] != "Alices-Mac" {
			t.Errorf("format %d: after the restore %v", format, m)
		}
	}
	// A tree without the file: written as XML.
	root := t.TempDir()
	sys := system.NewRooted(root, system.NewReal())
	l := &machine.Machine{Sys: sys, Offline: true, OS: "darwin"}
	apply(t, sys, plan(t, &names.Provider{Machine: l, Config: &names.Config{LocalHostName: str("atlas")}}, nil))
	data, err := os.ReadFile(filepath.Join(root, names.PrefsFile))
	if err != nil || !strings.Contains(string(data), "<key>LocalHostName</key>") {
		t.Errorf("new preferences.plist: %s, %v", data, err)
	}
}

func TestConfigFromJSON(t *testing.T) {
	providertest.CheckConfigs(t, names.ConfigFromJSON,
		providertest.ConfigCase[names.Config]{Name: "set",
			Host: modules.Host{OS: "darwin", Arch: "arm64", Name: "atlas", User: "alice"},
			HCL:  "networking {\n  host_name = \"atlas\"\n  computer_name = \"Atlas's Mac\"\n  local_host_name = \"atlas\"\n}\n",
			OK: func(cfg *names.Config) bool {
				return cfg.HostName != nil && *cfg.HostName == "atlas" && *cfg.ComputerName == "Atlas's Mac" && *cfg.LocalHostName == "atlas"
			}},
		providertest.ConfigCase[names.Config]{Name: "unset", JSON: `{"networking":{"host_name":null}}`,
			OK: func(cfg *names.Config) bool { return cfg.HostName == nil && cfg.ComputerName == nil }},
	)
}
