package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSourceURL: what init clones for each kind of SOURCE.
func TestSourceURL(t *testing.T) {
	env := testEnv(t)
	env.EUID = -1 // the forms alone (nothing checked); what is trusted: TestSourceURLUntrusted
	if err := os.Mkdir(filepath.Join(env.WorkDir, "dots"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		src  string
		ssh  bool
		want string
	}{
		{"alice", false, "https://github.com/alice/dotfiles.git"},
		{"alice", true, "git@github.com:alice/dotfiles.git"},
		{"alice/config", false, "https://github.com/alice/config.git"},
		{"alice/config.git", true, "git@github.com:alice/config.git"},
		{"https://example.org/a/b.git", false, "https://example.org/a/b.git"},
		{"git@example.org:a/b.git", false, "git@example.org:a/b.git"},
		{"file:///srv/dots.git", false, "file:///srv/dots.git"},
		// A bare name is GitHub's, even with a folder of that name here
		// (tester AI), which gets a warning.
		{"dots", false, "https://github.com/dots/dotfiles.git"},
		{"dots", true, "git@github.com:dots/dotfiles.git"},
		{"./dots/", false, filepath.Join(env.WorkDir, "dots")},
		{filepath.Join(env.WorkDir, "dots"), false, filepath.Join(env.WorkDir, "dots")},
	} {
		got, err := sourceURL(env, tt.src, tt.ssh)
		if err != nil || got != tt.want {
			t.Errorf("sourceURL(%q, ssh %v) = %q, %v; want %q", tt.src, tt.ssh, got, err, tt.want)
		}
	}
	for _, bad := range []struct {
		src string
		ssh bool
	}{{"not a source", false}, {"-alice", false}, {"a/b/c", false}, {"https://example.org/x.git", true}, {"./dots", true}, {"./missing", false}} {
		if got, err := sourceURL(env, bad.src, bad.ssh); err == nil {
			t.Errorf("sourceURL(%q, ssh %v) = %q, want an error", bad.src, bad.ssh, got)
		}
	}
}

// TestSourceURLWarnsOfLocalName: a bare name that is also an entry of
// the working folder is cloned from GitHub, with a warning naming the
// folder and how to clone it instead.
func TestSourceURLWarnsOfLocalName(t *testing.T) {
	env := testEnv(t)
	if err := os.Mkdir(filepath.Join(env.WorkDir, "alice"), 0o755); err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	env.Stderr = &stderr
	if _, err := sourceURL(env, "alice", false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"gocfg: warning: alice is read as a GitHub name (https://github.com/alice/dotfiles.git), not as the alice here", "gocfg: hint: for the local repository, write ./alice"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr %q lacks %q", stderr.String(), want)
		}
	}
}

// TestSourceURLUntrusted: run as root, a local repository that another
// user could change is refused (tester AI: her /tmp/alice bundle cloned
// and applied by root's gocfg init --apply); root's own, or the sudo
// user's, is cloned.
func TestSourceURLUntrusted(t *testing.T) {
	env, base := rootTrustEnv(t)
	mk := func(rel string, mode os.FileMode, uid int, dir bool) string {
		p := filepath.Join(base, rel)
		var err error
		if dir {
			err = os.Mkdir(p, mode)
		} else {
			err = os.WriteFile(p, []byte("# v2 git bundle\n"), mode)
		}
		if err == nil {
			err = os.Chmod(p, mode)
		}
		if err == nil {
			err = os.Lchown(p, uid, uid)
		}
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	mk("tmp", os.ModeSticky|0o777, 0, true)
	hers := mk("tmp/alice", 0o644, 4321, false)
	inSticky := mk("tmp/roots", 0o644, 0, false)
	open := mk("tmp/open", 0o777, 0, true)
	mk("srv", 0o755, 0, true)
	roots := mk("srv/roots", 0o644, 0, false)
	alices := mk("srv/alice", 0o644, 4321, false)
	for _, tc := range []struct {
		src, want string
	}{
		{hers, hers + ": the repository to clone: " + hers + " is owned by uid 4321"},
		{"file://" + hers, hers + ": the repository to clone: " + hers + " is owned by uid 4321"},
		{open, "may be written by others (mode 0777, no sticky bit)"},
		// git would take a roots.git she made beside it (reviewer R5).
		{inSticky, "roots.git does not exist, in a folder others may create it in"},
	} {
		_, err := sourceURL(env, tc.src, false)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("sourceURL(%s) = %v, want an error with %q", tc.src, err, tc.want)
		}
	}
	if got, err := sourceURL(env, roots, false); err != nil || got != roots {
		t.Errorf("sourceURL(root's %s) = %q, %v", roots, got, err)
	}
	// Through sudo, the user's own repository is trusted.
	env.Getenv = func(k string) string { return map[string]string{"SUDO_UID": "4321"}[k] }
	if got, err := sourceURL(env, alices, false); err != nil || got != alices {
		t.Errorf("sourceURL(the sudo user's %s) = %q, %v", alices, got, err)
	}
}

// TestHCLString: values from the machine are written as literals, never
// as templates.
func TestHCLString(t *testing.T) {
	for in, want := range map[string]string{
		"plain":        `"plain"`,
		`a "b" \c`:     `"a \"b\" \\c"`,
		"${x} %{if} $": `"$${x} %%{if} $"`,
		"tab\there\n":  `"tab\there\n"`,
		"bell\a":       `"bell\u0007"`,
		"Zoë":          `"Zoë"`,
	} {
		if got := hclString(in); got != want {
			t.Errorf("hclString(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestInitSysModes: init alone only reads the machine; init --apply and
// update change it.
func TestInitSysModes(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want sysMode
	}{
		{[]string{"init"}, sysReadOnly},
		{[]string{"init", "--root", "r"}, sysReadOnly},
		{[]string{"init", "alice"}, sysReadOnly},
		{[]string{"init", "--apply", "alice"}, sysReal},
		{[]string{"update"}, sysReal},
	} {
		c := parsed(t, newRootCmd(testEnv(t)), tt.args...)
		if got, err := commandSysMode(c); err != nil || got != tt.want {
			t.Errorf("gocfg %v: mode %q, %v; want %q", tt.args, got, err, tt.want)
		}
	}
}

// TestAptNotLeaves: essential, required and important packages, and the
// dependencies of installed ones, are not leaves.
func TestAptNotLeaves(t *testing.T) {
	out := []byte("bash\tinstalled\trequired\tyes\t, libc6 (>= 2.36), base-files (>= 2.1.12), debianutils (>= 5.6-0.1)\n" +
		"apt\tinstalled\timportant\tno\t, adduser, gpgv | gpgv2 | gpgv1, libapt-pkg6.0 (>= 2.6.1)\n" +
		"git\tinstalled\toptional\tno\t, libc6 (>= 2.34), perl:any, git-man (>> 1:2.39.2)\n" +
		"hello\tinstalled\toptional\tno\t, libc6 (>= 2.34)\n" +
		"tig\tconfig-files\toptional\tno\t, git\n")
	got := aptNotLeaves(out)
	for _, n := range []string{"bash", "apt", "libc6", "gpgv", "gpgv2", "perl", "git-man", "adduser"} {
		if !got[n] {
			t.Errorf("%s is taken for a leaf", n)
		}
	}
	for _, n := range []string{"git", "hello", "tig"} {
		if got[n] {
			t.Errorf("%s is not taken for a leaf", n)
		}
	}
}
