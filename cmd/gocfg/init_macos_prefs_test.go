package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/modules/plistval"
	"github.com/gocfg/gocfg/platform/macos/prefs"
)

// TestTypedPrefsMatchModules sets each option of typedPrefs alone, as
// gocfg init writes it, and checks that the built-in modules map it onto
// exactly its keys with the value unchanged: the table cannot drift from
// modules/builtin/hcl/macos.
func TestTypedPrefsMatchModules(t *testing.T) {
	samples := map[prefKind][]any{prefBool: {true, false}, prefInt: {int64(48), int64(2)}, prefReal: {0.5}, prefString: {"x"}}
	dir := t.TempDir()
	entry := filepath.Join(dir, "default.hcl")
	for _, p := range typedPrefs {
		t.Run(p.Option, func(t *testing.T) {
			vals := samples[p.Kind]
			if p.Enum != nil {
				vals = []any{p.Enum[len(p.Enum)-1]}
			}
			for _, v := range vals {
				text, ok := p.hcl(v)
				if !ok {
					t.Fatalf("hcl(%v) does not fit the option", v)
				}
				if err := os.WriteFile(entry, []byte(nested(p.Option, text)), 0o644); err != nil {
					t.Fatal(err)
				}
				got, err := evalDefaults(entry)
				if err != nil {
					t.Logf("%s = %s: %v", p.Option, text, err)
					continue // an assert (a range): try the next sample
				}
				want := map[string]map[string]any{}
				for _, k := range p.Keys {
					if want[k.Domain] == nil {
						want[k.Domain] = map[string]any{}
					}
					want[k.Domain][k.Key] = v
				}
				if !prefs.Equal(got, toAny(want)) {
					t.Errorf("%s = %s: macos.defaults = %v, want %v", p.Option, text, got, want)
				}
				return
			}
			t.Errorf("no sample value evaluates")
		})
	}
}

// evalDefaults evaluates the entry module on a Mac and returns
// macos.defaults as plist values.
func evalDefaults(entry string) (any, error) {
	ev, diags := modules.Load(modules.Options{Entry: entry, Host: modules.Host{OS: "darwin", Arch: "arm64", Name: "mbp", User: "alice"}})
	if diags.HasErrors() {
		return nil, diags
	}
	v, _, diags := ev.Value("macos.defaults")
	if diags.HasErrors() {
		return nil, diags
	}
	return plistval.ToGo(v)
}

// nested is `option = value` as HCL blocks: a { b { c = value } }.
func nested(option, value string) string {
	parts := strings.Split(option, ".")
	last := len(parts) - 1
	return strings.Join(parts[:last], " {\n") + " {\n" + parts[last] + " = " + value + strings.Repeat("\n}", last) + "\n"
}

func toAny(m map[string]map[string]any) map[string]any {
	out := map[string]any{}
	for d, keys := range m {
		out[d] = map[string]any(keys)
	}
	return out
}

func TestTypedPrefHCL(t *testing.T) {
	enum := typedPref{Kind: prefString, Enum: []string{"left", "bottom"}}
	tests := []struct {
		p    typedPref
		v    any
		want string // "": does not fit
	}{
		{typedPref{Kind: prefBool}, true, "true"},
		{typedPref{Kind: prefBool}, int64(1), ""},
		{typedPref{Kind: prefInt}, int64(48), "48"},
		{typedPref{Kind: prefInt}, 48.0, "48"},
		{typedPref{Kind: prefInt}, 0.5, ""},
		{typedPref{Kind: prefInt}, "48", ""},
		{typedPref{Kind: prefReal}, 0.25, "0.25"},
		{typedPref{Kind: prefReal}, int64(1), "1"},
		{typedPref{Kind: prefReal}, true, ""},
		{typedPref{Kind: prefString}, `a "b" ${c}`, `"a \"b\" $${c}"`},
		{enum, "left", `"left"`},
		{enum, "top", ""},
	}
	for _, tt := range tests {
		got, ok := tt.p.hcl(tt.v)
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("kind %d hcl(%#v) = %q, %v; want %q", tt.p.Kind, tt.v, got, ok, tt.want)
		}
	}
}

func TestTypedPrefRead(t *testing.T) {
	p := typedPref{Option: "macos.global.expand_save_panel", Kind: prefBool, Keys: []prefKey{{"g", "a"}, {"g", "b"}}}
	tests := []struct {
		domain map[string]any
		want   string
	}{
		{map[string]any{"a": true, "b": true}, "true"},
		{map[string]any{"a": true, "b": false}, ""},
		{map[string]any{"a": true}, ""},
		{nil, ""},
	}
	for i, tt := range tests {
		got, ok := p.read(func(string) map[string]any { return tt.domain })
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("%d: read = %q, %v; want %q", i, got, ok, tt.want)
		}
	}
}
