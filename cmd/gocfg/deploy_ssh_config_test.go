package main

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// TestSSHConfigIncludes: an Include line's arguments as OpenSSH reads
// them, both argv_split's reading (8.7 and later) and strdelim's
// (before), the words after a # too (reviewers R20 to R23).
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
		// argv_split's quotes and escapes, then strdelim's words
		`Include 'a\'' /y 'b'`:        {"a'", "/y", "b", `'a\''`, "'b'"},
		`Include ~/.ssh/"team dir"/*`: {"~/.ssh/team dir/*", "~/.ssh/team dir", "/*"},
		`Include 'a b' c\ d`:          {"a b", "c d", "'a", "b'", `c\`, "d"},
		"Include a.conf # see b":      {"a.conf", "#", "see", "b"},
		"Include a#b":                 {"a#b"},
		// reviewer R23: the keyword ends at its closing quote, at a CR;
		// a CR, a tab or a form feed at the end is cut; a backslash
		// before anything else stays; bytes stay bytes; a NUL ends it
		`"Include"/srv/x.conf`:         {"/srv/x.conf"},
		"Include\r/srv/x.conf":         {"/srv/x.conf"},
		"\rInclude /srv/x.conf":        {"/srv/x.conf"},
		"Include /x.conf\f\r\t":        {"/x.conf"},
		"Include /none\\\t/srv/x.conf": {`/none\`, "/srv/x.conf"},
		`Include /srv/t\[a]/x.conf`:    {`/srv/t\[a]/x.conf`},
		"Include /caf\xe9/x.conf":      {"/caf\xe9/x.conf"},
		"Include /a.conf\x00 /b.conf":  {"/a.conf"},
		"Include":                      nil,
		"Include   ":                   nil,
		`Include "open`:                nil,
		"\u0130nclude /x":              nil, // no Unicode folding
		"=Include /x":                  {"/x"},
	} {
		if got := includeArgs(line); !slices.Equal(got, want) {
			t.Errorf("includeArgs(%q) = %q, want %q", line, got, want)
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
		wantRefusal(t, tc.config, untrustedSSHConfig(env, cfg, filepath.Join(dir, ".ssh"), dir, "--ssh-config main.conf:"), tc.want)
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

// wantRefusal checks err, the check of case name: nil for want "",
// else an error that says want.
func wantRefusal(t *testing.T, name string, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("%q: %v", name, err)
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		t.Errorf("%q: %v, want %q", name, err, want)
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
		if filepath.Clean(got) != want || err != nil {
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

// TestSSHConfigIncludeLater (reviewer R23): ssh reads its files again at
// each connection, after the check. An Include of a name not there yet
// in a sticky folder others may write, or of a pattern matched there,
// is refused: she could make the file after the check. A name there
// already, and no one else's, stays safe: the sticky bit keeps it.
func TestSSHConfigIncludeLater(t *testing.T) {
	env := testEnv(t)
	dir := t.TempDir()
	shared := mkdirMode(t, filepath.Join(dir, "shared"), os.ModeSticky|0o777)
	if err := os.WriteFile(filepath.Join(shared, "mine.conf"), []byte("Host *\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "main.conf")
	link, sub := filepath.Join(dir, "scratch"), filepath.Join(dir, "sub")
	if err := os.Symlink(shared, link); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(shared, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(shared, "sub"), sub); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ include, want string }{
		{shared + "/mine.conf", ""},
		// reviewer R25: a pattern in a sticky folder reached through a
		// link, and a .. that follows one
		{link + "/*.conf", link + " (" + shared + ") may be written by others (mode 01777: its sticky bit"},
		{sub + "/../x.conf", "includes " + shared + "/x.conf: " + shared + "/x.conf does not exist, in a folder others may create it in"},
		{link + "/*/../x.conf", "a .. after a pattern, which gocfg does not follow"},
		{shared + "/later.conf", shared + "/later.conf does not exist, in a folder others may create it in"},
		{shared + "/*.conf", shared + " may be written by others (mode 01777: its sticky bit keeps them from replacing what is there, not from adding new names), so another user could add a file that the pattern matches"},
		{shared + "/*/team.conf", "its sticky bit keeps them"},
		{shared + "/d/team.conf", shared + "/d does not exist, in a folder others may create it in"},
		// what ssh and gocfg read apart, refused
		{shared + "/[m]ine.conf", "a path with [, \\, % or ${"},
		{`/etc/ssh/x\*.conf`, "a path with [, \\, % or ${"},
		{"~/.ssh/%h.conf", "a path with [, \\, % or ${"},
		{"${HOME}/x.conf", "a path with [, \\, % or ${"},
	} {
		// After a line longer than bufio.Scanner reads (reviewer R23).
		text := "# " + strings.Repeat("x", 70000) + "\nInclude " + tc.include + "\n"
		if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		err := untrustedSSHConfig(env, cfg, filepath.Join(dir, ".ssh"), dir, "--ssh-config main.conf:")
		wantRefusal(t, tc.include, err, tc.want)
		if err != nil && !strings.Contains(err.Error(), "main.conf, line 2, includes ") {
			t.Errorf("%s: %v does not name the line", tc.include, err)
		}
	}
}

// TestSSHConfigIncludeR27 (reviewer R27): her file where a folder is
// looked for, in a sticky folder, is no stop (she could make it a folder
// after the check); a pattern that matches . and .. before the last part
// is refused; a .. through another user's link is refused; a file first
// read deep is read again from a shallower include, so what it includes
// below the depth limit is checked.
func TestSSHConfigIncludeR27(t *testing.T) {
	env := testEnv(t)
	dir := t.TempDir()
	shared := mkdirMode(t, filepath.Join(dir, "shared"), os.ModeSticky|0o777)
	squat := filepath.Join(shared, "squat")
	if err := os.WriteFile(squat, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(squat, 12345, 12345); err != nil {
		t.Fatal(err)
	}
	closed := mkdirMode(t, filepath.Join(dir, "closed"), 0o755)
	hers := filepath.Join(closed, "hers")
	if err := os.Symlink(shared, hers); err != nil {
		t.Fatal(err)
	}
	if err := os.Lchown(hers, 12345, 12345); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "main.conf")
	for _, tc := range []struct{ include, want string }{
		{squat + "/x.conf", squat + " is owned by uid 12345"},
		{squat + "*/x.conf", "its sticky bit keeps them"},
		{closed + "/.*/x.conf", ".* matches . and .., which ssh follows"},
		{closed + "/.?/x.conf", ".? matches . and .., which ssh follows"},
		{closed + "/.*", ""}, // the last part: . and .. are folders, read as nothing
		{hers + "/../x.conf", hers + " is owned by uid 12345"},
	} {
		if err := os.WriteFile(cfg, []byte("Include "+tc.include+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		wantRefusal(t, tc.include, untrustedSSHConfig(env, cfg, dir, dir, "--ssh-config main.conf:"), tc.want)
	}

	// A FIFO of the user's own is not opened: opening it would wait
	// (reviewer R28).
	fifo := filepath.Join(dir, "fifo.conf")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("Include "+fifo+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wantRefusal(t, "a FIFO", untrustedSSHConfig(env, cfg, dir, dir, "--ssh-config main.conf:"), "")

	// A chain of 16: deep.conf is met at depth 16 first (too deep to
	// read), then from a shallower include, where what it includes counts.
	open := mkdirMode(t, filepath.Join(dir, "open"), 0o777)
	for i := range 15 {
		text := fmt.Sprintf("Include %s/c%d.conf\n", dir, i+1)
		if i == 14 {
			text = "Include " + dir + "/deep.conf\n"
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("c%d.conf", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "deep.conf"), []byte("Include "+open+"/*.conf\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("Include "+dir+"/c0.conf\nInclude "+dir+"/deep.conf\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wantRefusal(t, "a file met deep, then shallow", untrustedSSHConfig(env, cfg, dir, dir, "--ssh-config main.conf:"), open+" may be written by others")
}

// TestDeployFlagDotDot (reviewer R27): --ssh-config and --binaries with
// a .. are refused: the kernel follows the link before it, the check
// would clean it as text.
func TestDeployFlagDotDot(t *testing.T) {
	env := testEnv(t)
	for _, opts := range []*deployOptions{{SSHConfig: "work/../ssh_config", home: t.TempDir()}, {Binaries: "/tmp/x/../bin", home: t.TempDir()}} {
		err := deployPaths(opts, env)
		if err == nil || !strings.Contains(err.Error(), "a path with .., which leads where the links before it lead") {
			t.Errorf("%+v: %v", opts, err)
		}
	}
}

// TestGlobMatch (reviewer R25): names are matched byte for byte, as
// glob(3) matches them: ? is one byte, so ??.conf matches é.conf.
func TestGlobMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		{"*.conf", "a.conf", true},
		{"*.conf", ".hidden.conf", true}, // glob(3) would not: more is checked
		{"*.conf", "a.cfg", false},
		{"??.conf", "é.conf", true},
		{"?.conf", "é.conf", false},
		{"a*b*c", "aXXbYYc", true},
		{"a*b*c", "aXXbYY", false},
		{"*", "", true},
		{"?", "", false},
		{"x", "x", true},
	} {
		if got := globMatch(tc.pattern, tc.name); got != tc.want {
			t.Errorf("globMatch(%q, %q) = %v", tc.pattern, tc.name, got)
		}
	}
}

// TestSSHConfigIncludeDepthAndSize: a chain of includes is followed to
// its end (an open folder three levels down is found), and a file larger
// than 16 MiB is refused, not read.
func TestSSHConfigIncludeDepthAndSize(t *testing.T) {
	env := testEnv(t)
	dir := t.TempDir()
	open := mkdirMode(t, filepath.Join(dir, "open"), 0o777)
	for i, text := range []string{"Include " + dir + "/c1.conf\n", "Include " + dir + "/c2.conf\n", "Include " + open + "/*.conf\n"} {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("c%d.conf", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	err := untrustedSSHConfig(env, filepath.Join(dir, "c0.conf"), dir, dir, "--ssh-config c0.conf:")
	if err == nil || !strings.Contains(err.Error(), "c2.conf, line 1, includes "+open+"/*.conf: "+open+" may be written by others") {
		t.Errorf("a chain of three: %v", err)
	}
	big := filepath.Join(dir, "big.conf")
	if err := os.WriteFile(big, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, 16<<20+1); err != nil {
		t.Fatal(err)
	}
	if err := untrustedSSHConfig(env, big, dir, dir, "--ssh-config big.conf:"); err == nil || !strings.Contains(err.Error(), "larger than 16 MiB") {
		t.Errorf("a file of 16 MiB and a byte: %v", err)
	}
}

// TestSSHConfigIncludeFanOut (reviewers R23, R25): the check stops at
// 10,000 paths, with an error, rather than cost files to the 16th power;
// a path is counted once, and a file read once at a depth, so many files
// that include one common file pass.
func TestSSHConfigIncludeFanOut(t *testing.T) {
	env := testEnv(t)
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("common.conf", "Host *\n")
	if err := os.Mkdir(filepath.Join(dir, "d"), 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 3000 {
		write(fmt.Sprintf("d/f%d.conf", i), "Include "+dir+"/common.conf\n")
	}
	top := write("top.conf", "Include "+dir+"/d/*.conf\n")
	if err := untrustedSSHConfig(env, top, dir, dir, "--ssh-config top.conf:"); err != nil {
		t.Errorf("3,000 files that include one common file: %v", err)
	}
	for i := 3000; i < 10001; i++ {
		write(fmt.Sprintf("d/f%d.conf", i), "")
	}
	if err := untrustedSSHConfig(env, top, dir, dir, "--ssh-config top.conf:"); err == nil || !strings.Contains(err.Error(), "more than 10000 files and folders to check") {
		t.Errorf("10,001 files: %v", err)
	}
}

// mkdirMode makes the folder p with mode, whatever the umask.
func mkdirMode(t *testing.T, p string, mode os.FileMode) string {
	t.Helper()
	if err := os.Mkdir(p, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
	return p
}
