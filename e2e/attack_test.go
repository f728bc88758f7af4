package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gocfg/gocfg/internal/nspawntest"
)

// Helpers of privilege_test.go: a machine with an ordinary user who
// attacks root's gocfg, root-owned victims under /etc, and the checks of
// the outcome.

const (
	// mallory is the throwaway ordinary user who attacks.
	mallory     = "mallory"
	malloryHome = "/home/" + mallory
	// malloryArea is her store area, where gocfg keeps her files.
	malloryArea = "/var/lib/gocfg/store/home-" + mallory
	// attackerBin is where the machine sees the attacker program.
	attackerBin = "/usr/local/bin/gocfg-attacker"
)

// buildAttacker builds e2e/internal/attacker for Linux into a temporary
// folder of t and returns its host path.
func buildAttacker(t *testing.T) string {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the attacker with")
	}
	out := filepath.Join(t.TempDir(), "attacker")
	cmd := exec.Command(goCmd, "build", "-o", out, "./internal/attacker")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH, "GOFLAGS=-buildvcs=false")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./internal/attacker: %v\n%s", err, b)
	}
	return out
}

// bootAttacked boots a machine with the attacker program and the
// ordinary user mallory (useradd -m), and logs fs.protected_symlinks
// (Debian sets it; the tests do not rely on it: homes are not
// world-writable sticky folders, where it applies).
func bootAttacked(t *testing.T, name string) *machine {
	t.Helper()
	nspawntest.Require(t)
	attacker := buildAttacker(t)
	m := boot(t, name, attacker+":"+attackerBin)
	t.Logf("fs.protected_symlinks = %s, fs.protected_hardlinks = %s inside the machine (not relied on)",
		m.out(t, "cat", "/proc/sys/fs/protected_symlinks"), m.out(t, "cat", "/proc/sys/fs/protected_hardlinks"))
	m.addUser(t, mallory)
	return m
}

// addUser creates an ordinary user with a home folder.
func (m *machine) addUser(t testing.TB, name string) {
	t.Helper()
	m.MustExec(t, "useradd", "-m", "-s", "/bin/sh", name)
}

// as runs args inside as user and returns the output and exit status,
// failing the test only when the command could not be run at all.
func (m *machine) as(t testing.TB, user string, args ...string) result {
	t.Helper()
	out, err := m.ExecAs(t, user, args...)
	return toResult(t, args, out, err)
}

// toResult turns what Exec returned into a result, failing the test
// when the command could not be run at all.
func toResult(t testing.TB, args []string, out string, err error) result {
	t.Helper()
	r := resultOf(out, err)
	if r.code < 0 {
		t.Errorf("running %q: %v", args, err)
	}
	return r
}

// brief is r with its output cut to its first 6 and last 12 lines.
func (r result) brief() string {
	lines := strings.Split(strings.TrimRight(r.out, "\n"), "\n")
	if len(lines) <= 20 {
		return r.String()
	}
	cut := append(append(lines[:6:6], fmt.Sprintf("[... %d lines ...]", len(lines)-18)), lines[len(lines)-12:]...)
	return result{out: strings.Join(cut, "\n"), code: r.code}.String()
}

// attack runs one step of mallory's attack and logs what it did. Its
// failure is not the test's: after the fix most steps are refused
// (EACCES), and what counts is the outcome.
func (m *machine) attack(t testing.TB, what string, args ...string) result {
	t.Helper()
	r := m.as(t, mallory, args...)
	if r.code == 0 {
		t.Logf("mallory %s: done%s", what, indent(r.out))
	} else {
		t.Logf("mallory %s: refused (exit status %d)%s", what, r.code, indent(r.out))
	}
	return r
}

func indent(s string) string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return ""
	}
	return "\n\t" + strings.ReplaceAll(s, "\n", "\n\t")
}

// sha is the lowercase hex sha256 of s, as gocfg names contents.
func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// A victims is a set of root-owned files named for a test that mallory
// wants to reach: File (0600 root, secret content) and Dir (0755 root)
// holding root-owned files (0644, secret content), and the state they
// had when made.
type victims struct {
	File, Dir string
	// Secret is a string in every victim's content, and in nothing else.
	Secret string
	before string
}

// newVictims makes the victims /etc/gocfg-test-<tag> and
// /etc/gocfg-test-<tag>-dir/ with the files names in it (keep.conf when
// none).
func newVictims(t testing.TB, m *machine, tag string, names ...string) *victims {
	t.Helper()
	if len(names) == 0 {
		names = []string{"keep.conf"}
	}
	v := &victims{
		File:   "/etc/gocfg-test-" + tag,
		Dir:    "/etc/gocfg-test-" + tag + "-dir",
		Secret: fmt.Sprintf("VICTIM-%s-%d", strings.ToUpper(tag), time.Now().UnixNano()),
	}
	m.WriteFile(t, v.File, []byte("root's secret: "+v.Secret+"\n"), 0o600)
	m.MustExec(t, "install", "-d", "-m", "0755", "-o", "root", "-g", "root", v.Dir)
	for _, n := range names {
		m.WriteFile(t, v.Dir+"/"+n, []byte("root's "+n+": "+v.Secret+"\n"), 0o644)
	}
	v.before = v.state(t, m)
	return v
}

// state describes the victims: type, mode, owner, size and content of
// each, and the folder's listing.
func (v *victims) state(t testing.TB, m *machine) string {
	t.Helper()
	const script = `stat -c '%n %F %a %U:%G %s' -- "$1" "$2" 2>&1
find "$2" -mindepth 1 -printf '%p %y %m %U:%G %s\n' 2>&1 | sort
sha256sum -- "$1" 2>&1
find "$2" -mindepth 1 -type f -exec sha256sum -- {} + 2>&1 | sort`
	return m.run(t, "sh", "-c", script, "sh", v.File, v.Dir).out
}

// touched says how the victims changed since they were made, or "".
func (v *victims) touched(t testing.TB, m *machine) string {
	t.Helper()
	now := v.state(t, m)
	if now == v.before {
		return ""
	}
	return lineDiff(v.before, now)
}

// check fails the test if the victims changed.
func (v *victims) check(t testing.TB, m *machine) {
	t.Helper()
	if d := v.touched(t, m); d != "" {
		t.Errorf("the victims %s and %s were touched:\n%s", v.File, v.Dir, d)
	}
}

// wantNothingInHome fails the test if a victim's content is anywhere in
// mallory's home or her store area (what she can read), links not
// followed.
func (v *victims) wantNothingInHome(t testing.TB, m *machine) {
	t.Helper()
	// The store area is missing when no switch has stored anything yet.
	script := `s=$1; shift; set -- $(for p; do [ -e "$p" ] && echo "$p"; done); [ $# -gt 0 ] || exit 1; exec grep -rlF -- "$s" "$@"`
	r := m.run(t, "sh", "-c", script, "sh", v.Secret, malloryHome, malloryArea)
	switch r.code {
	case 1: // nothing found
	case 0:
		t.Errorf("the victims' content is in mallory's reach, in:\n%s", r.out)
	default:
		t.Errorf("grep for the victims' content: %v", r)
	}
}

// wantUnreached fails the test if the attack reached anything: the
// victims changed (check), their content is in mallory's reach
// (wantNothingInHome), or what outside describes changed since before
// (wantOutside).
func (v *victims) wantUnreached(t testing.TB, m *machine, before string) {
	t.Helper()
	v.check(t, m)
	v.wantNothingInHome(t, m)
	m.wantOutside(t, before)
}

// outside describes what mallory must not change through gocfg: the
// entries of / and everything under /etc, /usr/local, /opt and /root
// (but the configuration in cfgDir), with type, mode, owner and, below
// the top, size and modification time (a folder's changes when an entry
// is created, renamed or deleted in it).
func (m *machine) outside(t testing.TB) string {
	t.Helper()
	const script = `find / -xdev -mindepth 1 -maxdepth 1 -printf '%p %y %m %U:%G\n' | sort
find /etc /usr/local /opt /root -xdev -path "$1" -prune -o -printf '%p %y %m %U:%G %s %T@\n' | sort`
	r := m.run(t, "sh", "-c", script, "sh", cfgDir)
	if r.code != 0 {
		t.Fatalf("listing what is outside the home: %v", r)
	}
	return r.out
}

// wantOutside fails the test if what outside describes changed since
// before.
func (m *machine) wantOutside(t testing.TB, before string) {
	t.Helper()
	if now := m.outside(t); now != before {
		t.Errorf("outside mallory's home, gocfg created, changed or removed:\n%s", lineDiff(before, now))
	}
}

// lineDiff lists the lines only in a ("- ") and only in b ("+ ").
func lineDiff(a, b string) string {
	as, bs := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for _, l := range as {
		if !slices.Contains(bs, l) {
			out = append(out, "\t- "+l)
		}
	}
	for _, l := range bs {
		if !slices.Contains(as, l) {
			out = append(out, "\t+ "+l)
		}
	}
	return strings.Join(out, "\n")
}

// A homeFile is one entry of home.<user>.files.
type homeFile struct {
	rel, text, method string
	exec, force       bool
}

// homeConfig is a configuration managing the files of each user.
func homeConfig(users map[string][]homeFile) string {
	var b strings.Builder
	names := make([]string, 0, len(users))
	for u := range users {
		names = append(names, u)
	}
	slices.Sort(names)
	for _, u := range names {
		fmt.Fprintf(&b, "home %q {\n", u)
		for _, f := range users[u] {
			fmt.Fprintf(&b, "  files %q {\n    text = %q\n", f.rel, f.text)
			if f.method != "" {
				fmt.Fprintf(&b, "    method = %q\n", f.method)
			}
			if f.exec {
				b.WriteString("    executable = true\n")
			}
			if f.force {
				b.WriteString("    force = true\n")
			}
			b.WriteString("  }\n")
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// malloryConfig is homeConfig for mallory alone.
func malloryConfig(files ...homeFile) string {
	return homeConfig(map[string][]homeFile{mallory: files})
}

// A heldSwitch is gocfg running inside with GOCFG_TEST_HOLD_AT: it
// pauses at a step boundary until released.
type heldSwitch struct {
	*background
	m    *machine
	file string
}

// holdFile is the release file of the hold hooks (on the tmpfs /run,
// outside what outside lists).
const holdFile = "/run/gocfg-test-hold"

// startHeld runs `gocfg args...` held at point, in the background.
func (m *machine) startHeld(t testing.TB, point string, args ...string) *heldSwitch {
	t.Helper()
	return m.startHeldEnv(t, nil, point, args...)
}

// startHeldEnv is startHeld with env (NAME=value) added to gocfg's
// environment.
func (m *machine) startHeldEnv(t testing.TB, env []string, point string, args ...string) *heldSwitch {
	t.Helper()
	m.MustExec(t, "rm", "-f", holdFile, holdFile+".held")
	cmd := append(append([]string{"env", "GOCFG_TEST_HOLD_AT=" + point, "GOCFG_TEST_HOLD_FILE=" + holdFile}, env...), "gocfg")
	cmd = append(cmd, args...)
	b := startBackground(t,
		func() result { return resultOf(m.Exec(t, cmd...)) },
		func() { _, _ = m.Exec(t, "touch", holdFile) })
	return &heldSwitch{background: b, m: m, file: holdFile}
}

// waitHeld waits until gocfg pauses (true), or ends without pausing
// (false: the result is kept for release).
func (h *heldSwitch) waitHeld(t testing.TB) bool {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if r, ended := h.ended(); ended {
			t.Logf("gocfg ended before it reached the hold point: %v", r)
			return false
		}
		if h.m.exists(t, h.file+".held") {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("gocfg did not reach the hold point in 30 s")
	return false
}

// release lets gocfg go on and returns its result.
func (h *heldSwitch) release(t testing.TB) result {
	t.Helper()
	h.m.MustExec(t, "touch", h.file)
	r, ended := h.within(2 * time.Minute)
	if !ended {
		t.Fatalf("gocfg did not finish 2 minutes after its release")
	}
	return r
}

// A background is a command running in the background.
type background struct {
	done chan result
}

// startBackground runs run in the background. Before the machine halts
// (cleanups run last first), a test that stopped early calls stop, if
// the command still runs, and waits for it, so that nothing logs after
// the test.
func startBackground(t testing.TB, run func() result, stop func()) *background {
	b := &background{done: make(chan result, 1)}
	go func() {
		b.done <- run()
	}()
	t.Cleanup(func() {
		if b.running() {
			stop()
		}
		b.within(2 * time.Minute)
	})
	return b
}

// spawn runs args as mallory in the background: a command that stops
// by itself, or once the file stop exists.
func (m *machine) spawn(t testing.TB, stop string, args ...string) *background {
	t.Helper()
	return startBackground(t,
		func() result { return resultOf(m.ExecAs(t, mallory, args...)) },
		func() { _, _ = m.ExecAs(t, mallory, "touch", stop) })
}

// ended returns the command's result and true once it has ended.
func (b *background) ended() (result, bool) {
	select {
	case r := <-b.done:
		b.done <- r
		return r, true
	default:
		return result{}, false
	}
}

// running reports whether the command is still running.
func (b *background) running() bool {
	_, ended := b.ended()
	return !ended
}

// within waits at most d for the command and returns its result, and
// whether it ended.
func (b *background) within(d time.Duration) (result, bool) {
	select {
	case r := <-b.done:
		b.done <- r
		return r, true
	case <-time.After(d):
		return result{}, false
	}
}

// wait waits (at most a minute) for the command and returns its result.
func (b *background) wait(t testing.TB) result {
	t.Helper()
	r, ended := b.within(time.Minute)
	if !ended {
		t.Fatalf("mallory's background command did not stop by itself")
	}
	return r
}

// waitFile waits (at most 20 s) until path exists inside.
func (m *machine) waitFile(t testing.TB, path string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !m.exists(t, path) {
		if time.Now().After(deadline) {
			t.Fatalf("%s did not appear in 20 s", path)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// homeObject is the tree object generation n keeps mallory's files in
// (resolved as root).
func (m *machine) homeObject(t testing.TB, n int) string {
	t.Helper()
	return m.out(t, "readlink", "-f", fmt.Sprintf("/var/lib/gocfg/generations/%d/files/home/%s", n, mallory))
}
