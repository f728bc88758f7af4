package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/files"
)

// TestProviderErrorHints checks that every hint of every error in a
// provider's error is kept: joined, wrapped, or both.
func TestProviderErrorHints(t *testing.T) {
	a := &platform.ConfigError{Option: "users.alice.shell", Msg: "not in /etc/shells", Hint: "install the shell"}
	b := &platform.ConfigError{Option: "users.bob.groups", Msg: "no group developers", Hint: "declare it"}
	c := &platform.ConfigError{Option: "users.carol.shell", Msg: "not in /etc/shells", Hint: "install the shell"}
	p := &files.PathError{Path: "/home/alice/.config", Problem: "is a symlink", Hint: "replace the link"}
	tests := []struct {
		err  error
		want []string
	}{
		{a, []string{"install the shell"}},
		{errors.Join(a, b), []string{"install the shell", "declare it"}},
		{fmt.Errorf("users: %w", errors.Join(a, errors.Join(b, c))), []string{"install the shell", "declare it"}},
		{errors.Join(fmt.Errorf("files: %w", p), withHints(errors.New("other"), "do this", "then that")), []string{"replace the link", "do this", "then that"}},
		{&platform.ConfigError{Option: "x", Msg: "no hint"}, nil},
	}
	for _, tt := range tests {
		got := providerError(tt.err)
		var h hintError
		if !errors.As(got, &h) {
			if tt.want != nil {
				t.Errorf("providerError(%v): no hints, want %q", tt.err, tt.want)
			}
			continue
		}
		if !slices.Equal(h.hints, tt.want) {
			t.Errorf("providerError(%v) hints = %q, want %q", tt.err, h.hints, tt.want)
		}
		if got.Error() != tt.err.Error() {
			t.Errorf("providerError changed the message: %q", got.Error())
		}
	}
}

// evaluated is cfg written as dir/default.hcl, loaded and evaluated for
// Linux.
func evaluated(t *testing.T, dir, cfg string) *modules.Evaluation {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "default.hcl"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	ev, diags := modules.Load(modules.Options{Entry: filepath.Join(dir, "default.hcl"), Host: modules.Host{OS: "linux", Arch: "amd64"}, WorkDir: dir})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if _, diags := ev.JSON(""); diags.HasErrors() {
		t.Fatal(diags)
	}
	return ev
}

// TestPlanError checks how planning errors are shown against the
// evaluated configuration: at the definition, at the option's default
// when nothing defines it, and plainly when no option is named.
func TestPlanError(t *testing.T) {
	dir := t.TempDir()
	ev := evaluated(t, dir, "users \"alice\" {\n  shell = \"/bin/fish\"\n}\n")
	show := func(err error) (string, error) {
		var out bytes.Buffer
		err = planError(&Env{Stderr: &out, WorkDir: dir}, ev, err)
		return out.String(), err
	}

	out, err := show(errors.Join(
		&platform.ConfigError{Option: "users.alice.shell", Msg: "/bin/fish is not listed in /etc/shells", Hint: "install the shell"},
		&platform.ConfigError{Option: "environment.package_manager", Msg: "no apt-get, dnf or pacman on this machine", Hint: "install one"},
		&platform.ConfigError{Option: "users.alice.uid", Msg: "no free uid", Hint: "set users.alice.uid"},
		errors.New("something else"),
	))
	if !errors.As(err, new(reportedError)) {
		t.Errorf("planError = %v, want a reportedError", err)
	}
	// In the order of the configuration (diagnostics.SortBySource): the error with
	// no source first, then the user's file by position, then the
	// built-in module.
	want := `gocfg: error: something else

gocfg: error: users.alice.uid: no free uid
  --> default.hcl:1:7
   |
 1 | users "alice" {
   |       ^^^^^^^
   = No module sets users.alice.uid; users.alice is defined here.
gocfg: hint: set users.alice.uid

gocfg: error: users.alice.shell: /bin/fish is not listed in /etc/shells
  --> default.hcl:2:11
   |
 2 |   shell = "/bin/fish"
   |           ^^^^^^^^^^^
gocfg: hint: install the shell

gocfg: error: environment.package_manager: no apt-get, dnf or pacman on this machine
   --> <builtin>/core/environment.hcl:12:17
    |
 12 |   default     = "auto"
    |                 ^^^^^^
    = No module sets environment.package_manager: it is set by the option's default, declared at <builtin>/core/environment.hcl:12.
gocfg: hint: install one
`
	if out != want {
		t.Errorf("planError printed:\n%s\nwant:\n%s", out, want)
	}

	// No error names an option: nothing is printed; the caller prints
	// the error with its hints.
	plain := withHints(errors.New("plain"), "a hint")
	out, err = show(plain)
	if out != "" || err.Error() != "plain" || errors.As(err, new(reportedError)) {
		t.Errorf("planError(plain) printed %q and returned %v", out, err)
	}
	// An option path that is not the configuration's: no location.
	out, _ = show(&platform.ConfigError{Option: "users.john.doe", Msg: "bad name"})
	if !strings.HasPrefix(out, "gocfg: error: users.john.doe: bad name\n") || strings.Contains(out, "-->") {
		t.Errorf("planError(unknown path) printed %q", out)
	}
}
