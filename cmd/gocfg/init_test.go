package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSourceURL: what init clones for each kind of SOURCE.
func TestSourceURL(t *testing.T) {
	env := testEnv(t)
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
		{"dots", false, filepath.Join(env.WorkDir, "dots")},
		{"./dots/", false, filepath.Join(env.WorkDir, "dots")},
	} {
		got, err := sourceURL(env, tt.src, tt.ssh)
		if err != nil || got != tt.want {
			t.Errorf("sourceURL(%q, ssh %v) = %q, %v; want %q", tt.src, tt.ssh, got, err, tt.want)
		}
	}
	for _, bad := range []struct {
		src string
		ssh bool
	}{{"not a source", false}, {"-alice", false}, {"a/b/c", false}, {"https://example.org/x.git", true}, {"dots", true}} {
		if got, err := sourceURL(env, bad.src, bad.ssh); err == nil {
			t.Errorf("sourceURL(%q, ssh %v) = %q, want an error", bad.src, bad.ssh, got)
		}
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
