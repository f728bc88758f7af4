package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/system"
)

// managersFake is a machine whose systemd managers answer only for the
// scopes it lists ("" is the system manager); its files are in a folder.
type managersFake struct {
	system.System
	up map[string]bool
}

func (f *managersFake) Units(_ context.Context, scope system.UnitScope) (system.Units, error) {
	if !f.up[scope.User] {
		return nil, system.ErrNoManager
	}
	return closedUnits{}, nil
}

// closedUnits is a manager connection that is only closed.
type closedUnits struct{ system.Units }

func (closedUnits) Close() error { return nil }

// tree is a System over a temporary folder holding files (path → content;
// a path ending in / is a folder, a content starting with #! a program).
func tree(t *testing.T, files ...string) system.System {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		p := filepath.Join(dir, f)
		if strings.HasSuffix(f, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return system.NewRooted(dir, system.NewReal())
}

func results(checks []check) string {
	var b strings.Builder
	for _, c := range checks {
		b.WriteString(c.Name + ":" + string(c.Result) + " ")
	}
	return strings.TrimSpace(b.String())
}

// TestUnitChecks: the system manager, the user managers of the users
// with user units and their linger; a manager that does not answer is
// an error when the generation has units there, else a warning.
func TestUnitChecks(t *testing.T) {
	ctx := context.Background()
	db := accounts.New([]accounts.Account{{Name: "alice", UID: 1000, GID: 1000}, {Name: "bob", UID: 1001, GID: 1001}}, nil)
	base := tree(t, "var/lib/systemd/linger/alice")
	for _, tt := range []struct {
		name        string
		up          []string
		users       []string
		systemUnits bool
		want        string
	}{
		{"all answer", []string{"", "alice"}, []string{"alice"}, true, "systemd:ok systemd-user:ok linger:ok"},
		{"no units", nil, nil, false, "systemd:warning systemd-user:ok"},
		{"system units, no manager", nil, nil, true, "systemd:error systemd-user:ok"},
		{"bob's manager is down, no linger", []string{"", "alice"}, []string{"alice", "bob"}, false, "systemd:ok systemd-user:ok systemd-user:error linger:warning"},
		{"no account", []string{""}, []string{"carol"}, false, "systemd:ok systemd-user:warning"},
	} {
		up := map[string]bool{}
		for _, u := range tt.up {
			up[u] = true
		}
		checks := unitChecks(ctx, &managersFake{System: base, up: up}, db, 3, tt.users, tt.systemUnits)
		if got := results(checks); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
		if tt.name == "bob's manager is down, no linger" {
			last := checks[len(checks)-1]
			if last.Message != "bob: no linger; alice: linger" || !strings.HasPrefix(last.Hint, "loginctl enable-linger bob:") {
				t.Errorf("linger: %+v", last)
			}
			if c := checks[2]; !strings.Contains(c.Message, "the user manager of bob, which generation 3 has units for") {
				t.Errorf("bob's manager: %+v", c)
			}
		}
	}
}

// TestPackagesCheck: the first manager gocfg drives that is installed;
// Homebrew on a Mac; none is a warning.
func TestPackagesCheck(t *testing.T) {
	for _, tt := range []struct {
		name  string
		sys   system.System
		goos  string
		want  checkResult
		inMsg string
	}{
		{"apt", tree(t, "usr/bin/dnf", "usr/bin/apt-get"), "linux", checkOK, "apt (/usr/bin/apt-get)"},
		{"pacman", tree(t, "usr/sbin/pacman"), "linux", checkOK, "pacman (/usr/sbin/pacman)"},
		{"none", tree(t, "usr/bin/"), "linux", checkWarning, "no package manager found"},
		{"brew on Intel", tree(t, "usr/local/bin/brew"), "darwin", checkOK, "Homebrew (/usr/local/bin/brew)"},
		{"no brew", tree(t, "usr/bin/apt-get"), "darwin", checkWarning, "Homebrew is not installed"},
	} {
		c := packagesCheck(tt.sys, tt.goos, false)
		if c.Result != tt.want || !strings.Contains(c.Message, tt.inMsg) {
			t.Errorf("%s: %+v, want %s with %q", tt.name, c, tt.want, tt.inMsg)
		}
	}
	if c := packagesCheck(tree(t), "linux", true); c.Result != checkOK || !strings.Contains(c.Message, "--root") {
		t.Errorf("under --root: %+v", c)
	}
}

// TestMacToolChecks: defaults and launchctl are needed on a live Mac.
func TestMacToolChecks(t *testing.T) {
	got := results(macToolChecks(tree(t, "usr/bin/defaults"), false))
	if got != "macos-disk-access:ok macos-defaults:ok macos-launchctl:error" {
		t.Errorf("no launchctl: %s", got)
	}
	if got := results(macToolChecks(tree(t), true)); got != "macos:ok" {
		t.Errorf("under --root: %s", got)
	}
}

// TestStateFolderCheck: the state folder is its runner's (root's when
// root runs gocfg) and writable by it alone.
func TestStateFolderCheck(t *testing.T) {
	sys := tree(t, "state/")
	euid := os.Geteuid()
	if c := stateFolderCheck(sys, "/missing", "/missing", true, 0); c.Result != checkOK || !strings.Contains(c.Message, "not created yet") {
		t.Errorf("missing: %+v", c)
	}
	if c := stateFolderCheck(sys, "/state", "/state", euid == 0, euid); c.Result != checkOK {
		t.Errorf("own: %+v", c)
	}
	if c := stateFolderCheck(sys, "/state", "/state", false, euid+1); c.Result != checkError || !strings.Contains(c.Message, "not yours") {
		t.Errorf("another user's: %+v", c)
	}
	// Reviewer R10: an ordinary user's doctor on root's state said
	// "chown -R <her uid> /var/lib/gocfg", and named the tree's path.
	if euid == 0 {
		if c := stateFolderCheck(sys, "/state", "/tree/state", false, 1004); c.Result != checkError || c.Hint != rootStateHint || strings.Contains(c.Hint, "chown") {
			t.Errorf("root's, an ordinary user running: %+v", c)
		}
	}
	if err := sys.Chmod("/state", 0o777); err != nil {
		t.Fatal(err)
	}
	if c := stateFolderCheck(sys, "/state", "/tree/state", euid == 0, euid); c.Result != checkError || c.Hint != "chmod go-w /tree/state" {
		t.Errorf("writable by others: %+v", c)
	}
}

// TestGitCheck: what git says of the configuration folder, without
// network.
// TestStateSpace (tester BB): a full file system under the state folder
// is an error, a nearly full one a warning, both with a hint; a file
// system that counts no inodes is judged by its bytes.
func TestStateSpace(t *testing.T) {
	for _, tc := range []struct {
		free, inodes, files uint64
		want                checkResult
	}{
		{10 << 30, 50000, 100000, checkOK},
		{10 << 30, 0, 0, checkOK}, // btrfs
		{1 << 20, 50000, 100000, checkWarning},
		{10 << 30, 10, 100000, checkWarning},
		{0, 50000, 100000, checkError},
		{10 << 30, 0, 100000, checkError},
	} {
		c := spaceVerdict("/var/lib/gocfg", tc.free, tc.inodes, tc.files)
		if c.Result != tc.want || c.Result != checkOK && !strings.Contains(c.Hint, "df -h") {
			t.Errorf("%d bytes, %d of %d inodes free: %+v, want %s with a hint", tc.free, tc.inodes, tc.files, c, tc.want)
		}
	}
	if c := stateSpaceCheck(filepath.Join(t.TempDir(), "not", "yet"), true); c.Result == checkError || strings.Contains(c.Message, "cannot tell") {
		t.Errorf("a state folder not made yet: %+v, want its nearest folder's room", c)
	}
}

func TestGitCheck(t *testing.T) {
	const c = "0123456789abcdef0123456789abcdef01234567"
	st := parseGitStatus("# branch.oid " + c + "\n# branch.head main\n# branch.upstream origin/main\n# branch.ab +1 -2\n1 .M N... 100644 100644 100644 a b default.hcl\n? new.hcl\n")
	want := repoState{Repo: true, Commit: c, Branch: "main", Upstream: "origin/main", Ahead: 1, Behind: 2, Dirty: true}
	if st != want {
		t.Errorf("parseGitStatus: %+v, want %+v", st, want)
	}
	if st := parseGitStatus("# branch.oid (initial)\n# branch.head (detached)\n"); st != (repoState{Repo: true}) {
		t.Errorf("no commit, detached: %+v", st)
	}
	for _, tt := range []struct {
		st   repoState
		err  error
		want checkResult
		msg  string
	}{
		{want, nil, checkWarning, "commit 0123456789ab on main, 1 commit ahead of origin/main; uncommitted changes; 2 commits behind origin/main (as last fetched)"},
		{repoState{Repo: true, Commit: c, Branch: "main", Upstream: "origin/main"}, nil, checkOK, "commit 0123456789ab on main, tracking origin/main"},
		{repoState{Repo: true, Commit: c}, nil, checkOK, "commit 0123456789ab, no upstream"},
		{repoState{Repo: true}, nil, checkWarning, "/cfg: no commit yet"},
		{repoState{}, nil, checkWarning, "/cfg is not in a git repository: generations record no commit"},
		{repoState{NoGit: true}, nil, checkWarning, "git is not installed: generations record no commit of /cfg"},
		{repoState{}, errors.New("/cfg: git status: broken"), checkWarning, "/cfg: git status: broken"},
	} {
		got := gitCheck("/cfg", tt.st, tt.err)
		if got.Result != tt.want || got.Message != tt.msg {
			t.Errorf("%+v: %s %q, want %s %q", tt.st, got.Result, got.Message, tt.want, tt.msg)
		}
	}
}

// TestGitStatus runs git on a folder outside any repository.
func TestGitStatus(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(dir))
	st, err := gitStatus(context.Background(), dir)
	if err != nil || st.Repo {
		t.Errorf("gitStatus(%s) = %+v, %v; want no repository", dir, st, err)
	}
}

// TestTildeHome: the home folder shows as ~, only as a whole path.
func TestTildeHome(t *testing.T) {
	for in, want := range map[string]string{
		"/home/alice/.config/gocfg: no configuration": "~/.config/gocfg: no configuration",
		"/home/alice":                       "~",
		"chmod go-w /home/alice/.local/x":   "chmod go-w ~/.local/x",
		"/home/alicex/.config":              "/home/alicex/.config",
		"/tmp/r/home/alice/.zshrc":          "/tmp/r/home/alice/.zshrc",
		"(/home/alice, /home/alice)":        "(~, ~)",
		"/var/lib/gocfg: root's, mode 0755": "/var/lib/gocfg: root's, mode 0755",
	} {
		if got := tildeHome("/home/alice/", in); got != want {
			t.Errorf("tildeHome(%q) = %q, want %q", in, got, want)
		}
	}
	if got := tildeHome("", "/x"); got != "/x" {
		t.Errorf("no home: %q", got)
	}
}

// TestWriteChecks: a table, the hint after the message.
func TestWriteChecks(t *testing.T) {
	var b bytes.Buffer
	err := writeChecks(&b, []check{okCheck("version", "v1.2.3"), warnCheck("config-git", "commit them", "uncommitted changes"), errCheck("store", "", "damaged")})
	want := `RESULT   CHECK       MESSAGE
ok       version     v1.2.3
warning  config-git  uncommitted changes; hint: commit them
error    store       damaged
`
	if err != nil || b.String() != want {
		t.Errorf("writeChecks:\n%s\nwant:\n%s", b.String(), want)
	}
}

// TestDoctorExitCode: doctor fails (exit 1) only when a check is an
// error, and prints every check first.
func TestDoctorExitCode(t *testing.T) {
	env := testEnv(t)
	root := t.TempDir()
	var out, errOut bytes.Buffer
	env.Stdout, env.Stderr = &out, &errOut
	if code := run(context.Background(), []string{"doctor", "--root", root}, env); code != exitOK {
		t.Fatalf("fresh tree: exit %d\n%s%s", code, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "~/.config/gocfg: no configuration") {
		t.Errorf("the home is not shown as ~:\n%s", out.String())
	}
	if err := os.MkdirAll(filepath.Join(root, "var/lib/gocfg"), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(root, "var/lib/gocfg"), 0o777); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if code := run(context.Background(), []string{"doctor", "--root", root, "--json"}, env); code != exitError {
		t.Errorf("state folder writable by others: exit %d, want 1", code)
	}
	if !strings.Contains(out.String(), `"result": "error"`) || !strings.Contains(errOut.String(), "gocfg: error: 1 check failed: state-folder") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", out.String(), errOut.String())
	}
}

// deniedFake refuses to open every file, as macOS does with the TCC
// database for a process without Full Disk Access.
type deniedFake struct{ system.System }

func (deniedFake) Open(name string) (io.ReadCloser, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
}

// TestFullDiskAccessCheck: the TCC database is readable only with Full
// Disk Access.
func TestFullDiskAccessCheck(t *testing.T) {
	withDB := tree(t, "Library/Application Support/com.apple.TCC/TCC.db")
	for _, tt := range []struct {
		name string
		sys  system.System
		want checkResult
		msg  string
	}{
		{"granted", withDB, checkOK, "Full Disk Access: granted"},
		{"denied", deniedFake{withDB}, checkWarning, "no Full Disk Access: "},
		{"no database", tree(t), checkOK, "nothing to check"},
	} {
		if c := fullDiskAccessCheck(tt.sys); c.Result != tt.want || !strings.Contains(c.Message, tt.msg) {
			t.Errorf("%s: %+v", tt.name, c)
		}
	}
}
