package keyboard_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/modules/plistval"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/macos/keyboard"
	"github.com/gocfg/gocfg/platform/macos/launchd"
)

func load(t *testing.T, src string) *modules.Evaluation {
	t.Helper()
	entry := filepath.Join(t.TempDir(), "default.hcl")
	if err := os.WriteFile(entry, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ev, diags := modules.Load(modules.Options{Entry: entry, Host: modules.Host{OS: "darwin", Arch: "arm64", Name: "mbp", User: "alice"}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return ev
}

func evalJSON(t *testing.T, src string) []byte {
	t.Helper()
	js, diags := load(t, src).JSON("")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return js
}

const capsToEscapeHCL = `macos {
  keyboard {
    enable_key_mapping        = true
    remap_caps_lock_to_escape = true
  }
}
`

func TestConfigFromJSON(t *testing.T) {
	cfg, err := keyboard.ConfigFromJSON(evalJSON(t, capsToEscapeHCL))
	if err != nil || !slices.Equal(cfg.UserKeyMapping, capsToEscape) {
		t.Errorf("caps lock to escape: %+v, %v", cfg, err)
	}
	cfg, err = keyboard.ConfigFromJSON(evalJSON(t, ""))
	if err != nil || len(cfg.UserKeyMapping) != 0 {
		t.Errorf("unset: %+v, %v", cfg, err)
	}
	_, err = keyboard.ConfigFromJSON(evalJSON(t, "macos {\n  keyboard {\n    user_key_mapping { \n      src = -1\n      dst = 2\n    }\n  }\n}\n"))
	var ce *platform.ConfigError
	if !errors.As(err, &ce) || ce.Option != "macos.keyboard.user_key_mapping[0]" {
		t.Errorf("a negative usage: %v", err)
	}
}

// agents evaluates src and returns macos.launchd.agents as the launchd
// provider's configuration reads it.
func agents(t *testing.T, src string) map[string]any {
	t.Helper()
	v, _, diags := load(t, src).Value("macos.launchd.agents")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	g, err := plistval.ToGo(v)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := g.(map[string]any)
	return m
}

// TestLoginAgent: a mapping also declares the LaunchAgent that sets it
// again at login; running the agent's program on the fake Mac gives the
// mapping the keyboard provider sets. Without a mapping there is no
// agent, so turning the mapping off removes it.
func TestLoginAgent(t *testing.T) {
	a := agents(t, capsToEscapeHCL)
	cfg, err := launchd.NewConfig("alice", a, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Agents) != 1 || cfg.Agents[0].Label != "org.gocfg.keyboard" {
		t.Fatalf("agents %+v, want org.gocfg.keyboard", cfg.Agents)
	}
	opts := a["org.gocfg.keyboard"].(map[string]any)
	if opts["run_at_load"] != true {
		t.Errorf("run_at_load = %v", opts["run_at_load"])
	}
	var args []string
	for _, x := range opts["program_arguments"].([]any) {
		args = append(args, x.(string))
	}
	if len(args) != 4 || args[0] != macos.Hidutil || args[1] != "property" || args[2] != "--set" {
		t.Fatalf("program_arguments %q", args)
	}
	m := newMachine(t, "alice", nil)
	if out, err := m.fake.Run(context.Background(), macos.Command(args[0], args[1:]...)); err != nil {
		t.Fatalf("the agent's program: %v\n%s", err, out)
	}
	if got := m.live(); !slices.Equal(got, capsToEscape) {
		t.Errorf("the agent set %v, want %v", got, capsToEscape)
	}

	if a := agents(t, ""); len(a) != 0 {
		t.Errorf("agents without a mapping: %v", a)
	}
	if a := agents(t, "macos {\n  keyboard {\n    remap_caps_lock_to_escape = true\n  }\n}\n"); len(a) != 0 {
		t.Errorf("agents with the remap not enabled: %v", a)
	}
}
