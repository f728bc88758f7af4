package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/files"
	mach "github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/spf13/cobra"
)

// testEnv is an Env for commands run in-process: root, on this
// platform, with a fresh home.
func testEnv(t *testing.T) *Env {
	t.Helper()
	var out, errOut bytes.Buffer
	return &Env{
		Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" },
		WorkDir: t.TempDir(), User: "alice", Home: t.TempDir(), OS: runtime.GOOS, Arch: runtime.GOARCH,
		EUID: 0, PID: os.Getpid(), Now: time.Now,
	}
}

// parsed finds the command of args in gocfg's tree and parses its flags.
func parsed(t *testing.T, root *cobra.Command, args ...string) *cobra.Command {
	t.Helper()
	c, rest, err := root.Find(args)
	if err != nil {
		t.Fatalf("%q: %v", args, err)
	}
	if err := c.ParseFlags(rest); err != nil {
		t.Fatalf("%q: %v", args, err)
	}
	return c
}

// TestCommandSysModes: the System each command runs with, from its
// annotations and flags.
func TestCommandSysModes(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want sysMode
	}{
		{[]string{"plan"}, sysReadOnly},
		{[]string{"plan", "--root", "r", "--json"}, sysReadOnly},
		{[]string{"status"}, sysReadOnly},
		{[]string{"generations", "list"}, sysReadOnly},
		{[]string{"generations", "diff", "1", "2"}, sysReadOnly},
		{[]string{"switch"}, sysReal},
		{[]string{"switch", "--dry-run"}, sysDryRun},
		{[]string{"switch", "-n", "--root", "r"}, sysDryRun},
		{[]string{"rollback"}, sysReal},
		{[]string{"rollback", "--dry-run", "--to", "1"}, sysDryRun},
		{[]string{"generations", "delete", "1"}, sysReal},
		{[]string{"generations", "gc", "--keep", "2"}, sysReal},
		{[]string{"store", "verify"}, sysReadOnly},
		{[]string{"store", "verify", "--repair"}, sysReal},
		{[]string{"plan", "--bundle", "b"}, sysReadOnly},
		{[]string{"switch", "--bundle", "b"}, sysReal},
		{[]string{"deploy-agent", "b"}, sysReal},
	} {
		c := parsed(t, newRootCmd(testEnv(t)), tt.args...)
		got, err := commandSysMode(c)
		if err != nil || got != tt.want {
			t.Errorf("gocfg %s: mode %q, %v; want %q", strings.Join(tt.args, " "), got, err, tt.want)
		}
	}
}

// TestEveryMachineCommandDeclaresSysMode: every command that can open
// the machine or read a tree (it has a --root of its own, not the
// global one it ignores; eval and check read the tree's os-release)
// declares how it touches it; the others (options) never open it and
// declare nothing.
func TestEveryMachineCommandDeclaresSysMode(t *testing.T) {
	var walk func(c *cobra.Command)
	n := 0
	walk = func(c *cobra.Command) {
		declared := c.Annotations[sysModeKey] != ""
		if c.LocalNonPersistentFlags().Lookup("root") != nil {
			n++
			if _, err := commandSysMode(c); err != nil {
				t.Errorf("%s: %v", c.CommandPath(), err)
			}
		} else if declared {
			t.Errorf("%s declares a system mode but never opens the machine (no --root)", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd(testEnv(t)))
	if n < 8 {
		t.Errorf("%d commands open the machine, want at least 8", n)
	}
}

// TestCommandSysModeFailsClosed: a command that declares no mode, or an
// unknown one, gets no System at all.
func TestCommandSysModeFailsClosed(t *testing.T) {
	for _, c := range []*cobra.Command{
		{Use: "undeclared"},
		{Use: "unknown", Annotations: map[string]string{sysModeKey: "write-a-little"}},
		nil,
	} {
		if mode, err := commandSysMode(c); err == nil {
			t.Errorf("%v: mode %q, want an error", c, mode)
		}
	}
	var f machineFlags
	if _, err := openMachine(testEnv(t), f); err == nil || !strings.Contains(err.Error(), "register") {
		t.Errorf("openMachine without a command: err = %v", err)
	}
}

// TestCommandSysModeWritesWith: a read-only command that repairs with a
// flag is real with it.
func TestCommandSysModeWritesWith(t *testing.T) {
	c := &cobra.Command{Use: "verify", Annotations: sysAnnotations(sysReadOnly, "repair")}
	c.Flags().Bool("repair", false, "")
	for _, tt := range []struct {
		args []string
		want sysMode
	}{{nil, sysReadOnly}, {[]string{"--repair"}, sysReal}} {
		if err := c.ParseFlags(tt.args); err != nil {
			t.Fatal(err)
		}
		if got, err := commandSysMode(c); err != nil || got != tt.want {
			t.Errorf("verify %q: %q, %v; want %q", tt.args, got, err, tt.want)
		}
	}
}

// openFor opens the machine under --root root as `gocfg args... --root
// root` would.
func openFor(t *testing.T, env *Env, root string, args ...string) *machine {
	t.Helper()
	c := parsed(t, newRootCmd(env), append(args, "--root", root)...)
	m, err := openMachine(env, machineFlags{Root: root, cmd: c})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestOpenMachineStack: the System stack openMachine builds for each
// mode, under --root.
func TestOpenMachineStack(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	env := testEnv(t)
	query := system.Command{Path: "/bin/true", UID: -1, GID: -1, ReadOnly: true}
	change := system.Command{Path: "/bin/true", UID: -1, GID: -1}

	// plan: every change is refused, the questions are answered.
	m := openFor(t, env, root, "plan")
	if _, ok := m.sys.(*system.ReadOnly); !ok {
		t.Errorf("plan: sys is %T, want *system.ReadOnly", m.sys)
	}
	if err := m.sys.WriteFile("/etc/motd", []byte("x"), 0o644); !errors.Is(err, system.ErrReadOnly) {
		t.Errorf("plan: WriteFile err = %v, want ErrReadOnly", err)
	}
	if err := m.host.WriteFile(filepath.Join(root, "x"), []byte("x"), 0o644); !errors.Is(err, system.ErrReadOnly) {
		t.Errorf("plan: host WriteFile err = %v, want ErrReadOnly", err)
	}
	if _, err := m.query.Run(ctx, change); !errors.Is(err, system.ErrReadOnly) {
		t.Errorf("plan: query Run of a change: err = %v, want ErrReadOnly", err)
	}
	if _, err := m.query.Run(ctx, query); err != nil {
		t.Errorf("plan: query Run: %v", err)
	}

	// switch --dry-run: changes are recorded; questions are still
	// answered, and only questions.
	m = openFor(t, env, root, "switch", "--dry-run")
	if _, ok := m.sys.(*system.DryRun); !ok {
		t.Errorf("switch --dry-run: sys is %T, want *system.DryRun", m.sys)
	}
	if _, err := m.query.Run(ctx, change); !errors.Is(err, system.ErrReadOnly) {
		t.Errorf("switch --dry-run: query Run of a change: err = %v, want ErrReadOnly", err)
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Errorf("the root is not empty: %v", entries)
	}

	// switch: changes land in the tree; host commands are refused
	// under --root.
	m = openFor(t, env, root, "switch")
	if _, ok := m.sys.(*system.Rooted); !ok {
		t.Errorf("switch: sys is %T, want *system.Rooted", m.sys)
	}
	if err := m.sys.WriteFile("/motd", []byte("x"), 0o644); err != nil {
		t.Errorf("switch: WriteFile: %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "motd")); err != nil {
		t.Errorf("switch: the write did not land in the tree: %v", err)
	}
	if _, err := m.sys.Run(ctx, change); !errors.Is(err, system.ErrHostCommand) {
		t.Errorf("switch --root: Run of a host command: err = %v, want ErrHostCommand", err)
	}
}

// writingProvider is a provider that breaks the rule: it writes while
// it plans.
type writingProvider struct{ sys system.System }

func (writingProvider) Name() string { return "writer" }

func (p writingProvider) Plan(context.Context, json.RawMessage) (*platform.Part, error) {
	if err := p.sys.WriteFile("/home/alice/.cache/planned", []byte("x"), 0o644); err != nil {
		return nil, err
	}
	return &platform.Part{}, nil
}

// TestPlanWriteFailsReadOnly: under gocfg plan's System the files
// provider plans without writing, and a provider that writes while it
// plans fails loudly, naming what it tried to write; the tree is left
// as it was.
func TestPlanWriteFailsReadOnly(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "home/alice"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "home/alice/.profile"), []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := testEnv(t)
	m := openFor(t, env, root, "plan")
	fc, err := files.ConfigFromJSON([]byte(`{
		"home": {"alice": {"files": {".zshrc": {"text": "z"}, ".profile": {"text": "new\n", "force": true}}}},
		"environment": {"etc": {"motd": {"text": "hi\n", "mode": "0644"}}}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	next, err := m.store.Next()
	if err != nil {
		t.Fatal(err)
	}
	before := treeListing(t, root)
	fp := &files.Provider{Machine: m.planned(0, next, mach.Switch{}), Config: fc}
	plan, err := platform.MakePlan(context.Background(), nil, fp)
	if err != nil {
		t.Fatalf("files under gocfg plan's System: %v", err)
	}
	if plan.Empty() {
		t.Error("the files provider planned nothing")
	}

	_, err = platform.MakePlan(context.Background(), nil, fp, writingProvider{m.sys})
	if !errors.Is(err, system.ErrReadOnly) {
		t.Fatalf("a provider writing during plan: err = %v, want ErrReadOnly", err)
	}
	if want := "write /home/alice/.cache/planned: " + system.ErrReadOnly.Error(); err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
	if after := treeListing(t, root); after != before {
		t.Errorf("the tree changed:\n%s\nwas:\n%s", after, before)
	}
}

// treeListing lists every path under root with its mode, size and
// modification time.
func treeListing(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		b.WriteString(p + " " + fi.Mode().String() + " " + fi.ModTime().String() + "\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
