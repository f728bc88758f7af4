package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestSSHConfigIncludes(t *testing.T) {
	for line, want := range map[string][]string{
		"Include a.conf":             {"a.conf"},
		"  include\ta b":             {"a", "b"},
		"INCLUDE=~/x/*.conf":         {"~/x/*.conf"},
		`Include "with space" plain`: {"with space", "plain"},
		"# Include commented":        nil,
		"IncludeX a":                 nil,
		"Host include":               nil,
		"ProxyCommand include nc %h": nil,
	} {
		if got := includes(line); !slices.Equal(got, want) {
			t.Errorf("includes(%q) = %q, want %q", line, got, want)
		}
	}
}

// TestSSHConfigIncludeOthersMayWrite (reviewer R19): a closed
// --ssh-config that includes a file others may write, or a pattern in a
// folder they may write, is refused; ssh checks neither under -F.
func TestSSHConfigIncludeOthersMayWrite(t *testing.T) {
	env := testEnv(t)
	dir := t.TempDir()
	env.Home = dir
	team := filepath.Join(dir, "team")
	if err := os.Mkdir(team, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, text string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("team/shared.conf", "Host *\n", 0o666)
	write("team/fine.conf", "Host *\n", 0o644)
	for _, tc := range []struct{ config, want string }{
		{"Include " + team + "/fine.conf\n", ""},
		{"Host x\n  Include " + team + "/shared.conf\n", "shared.conf may be written by others"},
		{"Include " + team + "/*.conf\n", "shared.conf may be written by others"},
		{"Include ~/team/nested.conf\n", "shared.conf may be written by others"},
	} {
		write("team/nested.conf", "Include "+team+"/shared.conf\n", 0o644)
		cfg := write("main.conf", tc.config, 0o644)
		err := untrustedSSHConfig(env, cfg, "--ssh-config main.conf:")
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v", tc.config, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%q: %v, want %q", tc.config, err, tc.want)
		}
	}
	// A pattern's folder that others may write: they could add a file.
	if err := os.Chmod(team, 0o777); err != nil {
		t.Fatal(err)
	}
	cfg := write("main.conf", "Include "+team+"/none-yet-*.conf\n", 0o644)
	if err := untrustedSSHConfig(env, cfg, "--ssh-config main.conf:"); err == nil || !strings.Contains(err.Error(), "team may be written by others") {
		t.Errorf("a pattern in a folder others may write: %v", err)
	}
}
