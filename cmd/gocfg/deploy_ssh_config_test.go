package main

import (
	"errors"
	"os"
	"os/user"
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
		`"Include" /x`:               {"/x"},
		`Incl"ude" /x`:               {"/x"},
		"Include = /x /y":            {"/x", "/y"},
		"Include=/x":                 {"/x"},
		`Include 'a\'' /y 'b'`:       {"a'", "/y", "b"},
		// as ssh's argv_split (reviewer R20)
		`Include ~/.ssh/"team dir"/*`: {"~/.ssh/team dir/*"},
		`Include 'a b' c\ d`:          {"a b", "c d"},
		"Include a.conf # see b":      {"a.conf", "#", "see", "b"},
		"Include a#b":                 {"a#b"},
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
		err := untrustedSSHConfig(env, cfg, filepath.Join(dir, ".ssh"), dir, "--ssh-config main.conf:")
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v", tc.config, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%q: %v, want %q", tc.config, err, tc.want)
		}
	}
	// A pattern in the folder part: the folder above it, and the ones
	// it matches (reviewer R21).
	cfg := write("main.conf", "Include "+team+"/*/x.conf\n", 0o644)
	if err := os.Chmod(team, 0o755); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(team, "d")
	if err := os.Mkdir(sub, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(sub, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := untrustedSSHConfig(env, cfg, filepath.Join(dir, ".ssh"), dir, "--ssh-config main.conf:"); err == nil || !strings.Contains(err.Error(), sub+" may be written by others") {
		t.Errorf("a pattern's folder that matches one others may write: %v", err)
	}
	if err := os.Remove(sub); err != nil {
		t.Fatal(err)
	}
	// Two pattern levels: a folder others may write at the middle one,
	// empty yet, is found; a file that matches a level is no folder
	// (reviewer R22).
	mid := filepath.Join(team, "A", "lvl")
	if err := os.MkdirAll(mid, 0o755); err != nil {
		t.Fatal(err)
	}
	notes := write("team/notes", "", 0o666)
	cfg = write("main.conf", "Include "+team+"/*/lvl/*/x.conf\n", 0o644)
	if err := untrustedSSHConfig(env, cfg, filepath.Join(dir, ".ssh"), dir, "--ssh-config main.conf:"); err != nil {
		t.Errorf("two levels, all closed, a file among them: %v", err)
	}
	if err := os.Chmod(mid, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := untrustedSSHConfig(env, cfg, filepath.Join(dir, ".ssh"), dir, "--ssh-config main.conf:"); err == nil || !strings.Contains(err.Error(), mid+" may be written by others") {
		t.Errorf("two levels, the middle one open: %v", err)
	}
	if err := os.RemoveAll(filepath.Join(team, "A")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(notes); err != nil {
		t.Fatal(err)
	}
	// A pattern's folder that others may write: they could add a file.
	if err := os.Chmod(team, 0o777); err != nil {
		t.Fatal(err)
	}
	cfg = write("main.conf", "Include "+team+"/none-yet-*.conf\n", 0o644)
	if err := untrustedSSHConfig(env, cfg, filepath.Join(dir, ".ssh"), dir, "--ssh-config main.conf:"); err == nil || !strings.Contains(err.Error(), "team may be written by others") {
		t.Errorf("a pattern in a folder others may write: %v", err)
	}
}

// TestDeploySSHConfigDefault (tester AY): without --ssh-config, what ssh
// reads itself, ~/.ssh/config and its includes, is checked the same way:
// a team folder it includes ran her ProxyCommand as the deploying user,
// through a file of /proc that passed ssh's own check.
func TestDeploySSHConfigDefault(t *testing.T) {
	env := testEnv(t)
	home := t.TempDir()
	team := filepath.Join(home, "team")
	for _, d := range []string{filepath.Join(home, ".ssh"), team} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(home, ".ssh", "config"), []byte("Include ../team/*.conf\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	opts := &deployOptions{home: home}
	if err := deployPaths(opts, env); err != nil {
		t.Fatalf("a closed team folder: %v", err)
	}
	if err := os.Chmod(team, 0o777); err != nil {
		t.Fatal(err)
	}
	err := deployPaths(opts, env)
	if err == nil || !strings.Contains(err.Error(), home+"/.ssh/config, line 1, includes "+team+"/*.conf: "+team+" may be written by others (mode 0777, no sticky bit), so another user could make ssh run her commands as you") {
		t.Errorf("a team folder others may write: %v", err)
	}
	var he hintError
	if !errors.As(err, &he) || len(he.hints) != 1 || he.hints[0] != "remove that Include, or copy what it includes into ~/.ssh (yours, chmod go-w) and include the copy" {
		t.Errorf("hint: %#v", err)
	}
}

// TestExpandInclude (reviewer R20): Include ~bob/... names bob's home,
// ~/ names $HOME (as ssh's glob expands it), a relative path the base.
func TestExpandInclude(t *testing.T) {
	env := testEnv(t)
	env.Getenv = func(k string) string { return map[string]string{"HOME": "/home/kept"}[k] }
	root, err := user.Lookup("root")
	if err != nil {
		t.Skip(err)
	}
	for pattern, want := range map[string]string{
		"~root/team.conf": filepath.Join(root.HomeDir, "team.conf"),
		"~/team.conf":     "/home/kept/team.conf",
		"team.conf":       "/base/team.conf",
		"/etc/x/*.conf":   "/etc/x/*.conf",
	} {
		got, err := expandInclude(env, pattern, "/base", "/home/pw")
		if got != want || err != nil {
			t.Errorf("expandInclude(%q) = %q, %v; want %q", pattern, got, err, want)
		}
	}
	// A user neither /etc/passwd nor the name service knows (or that
	// did not answer), and a uid that getent would take for one: not
	// told apart, refused (reviewer R22).
	for _, pattern := range []string{"~nosuchuser-z/x", "~0/x"} {
		if _, err := expandInclude(env, pattern, "/base", "/home/pw"); err == nil {
			t.Errorf("expandInclude(%q): no error", pattern)
		}
	}
}
