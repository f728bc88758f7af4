package e2e

import (
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gocfg/gocfg/internal/nspawntest"
)

// cfgDir is where the tests write the configuration inside a container;
// its entry module is default.hcl.
const cfgDir = "/root/cfg"

// A machine is a booted container with gocfg at /usr/local/bin/gocfg.
type machine struct {
	*nspawntest.Container
}

// boot boots a fresh machine for t (halted by t's cleanup). bindRO are
// read-only bind mounts in systemd-nspawn's syntax ("HOST:CONTAINER").
func boot(t testing.TB, name string, bindRO ...string) *machine {
	t.Helper()
	nspawntest.Require(t) // skip before building
	gocfg := nspawntest.BuildGocfg(t)
	c := nspawntest.Boot(t, nspawntest.Options{Name: name, Gocfg: gocfg, BindRO: bindRO})
	return &machine{Container: c}
}

// A result is one command's combined output and exit status.
type result struct {
	out  string
	code int
}

func (r result) String() string { return fmt.Sprintf("exit status %d, output:\n%s", r.code, r.out) }

// resultOf turns what Exec returned into a result; status -1 when the
// command could not be run (the error is in the output).
func resultOf(out string, err error) result {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return result{out: out}
	case errors.As(err, &ee) && ee.ExitCode() >= 0:
		return result{out: out, code: ee.ExitCode()}
	default:
		return result{out: out + err.Error(), code: -1}
	}
}

// run runs args inside and returns the output and exit status, failing
// the test only when the command could not be run at all.
func (m *machine) run(t testing.TB, args ...string) result {
	t.Helper()
	out, err := m.Exec(t, args...)
	r := resultOf(out, err)
	if r.code < 0 {
		t.Fatalf("running %q: %v", args, err)
	}
	return r
}

// gocfg runs gocfg with args inside, env (KEY=VALUE) added to its
// environment.
func (m *machine) gocfg(t testing.TB, env []string, args ...string) result {
	t.Helper()
	cmd := append([]string{"env"}, env...)
	return m.run(t, append(append(cmd, "gocfg"), args...)...)
}

// mustGocfg runs gocfg with args and fails the test unless it succeeds.
func (m *machine) mustGocfg(t testing.TB, args ...string) string {
	t.Helper()
	r := m.gocfg(t, nil, args...)
	if r.code != 0 {
		t.Fatalf("gocfg %s: %v", strings.Join(args, " "), r)
	}
	return r.out
}

// config makes text the configuration in cfgDir (its default.hcl).
func (m *machine) config(t testing.TB, text string) {
	t.Helper()
	m.WriteFile(t, cfgDir+"/default.hcl", []byte(text), 0o644)
}

// switchTo makes text the configuration and switches to it, which must
// succeed; it returns gocfg's output.
func (m *machine) switchTo(t testing.TB, text string) string {
	t.Helper()
	m.config(t, text)
	return m.mustGocfg(t, "switch", "-c", cfgDir)
}

// secondSwitchIdle is the subtest that a second switch to the same
// configuration changes nothing.
func (m *machine) secondSwitchIdle(t *testing.T) {
	t.Run("second switch changes nothing", func(t *testing.T) {
		out := m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
	})
}

// trySwitch makes text the configuration and switches to it.
func (m *machine) trySwitch(t testing.TB, text string) result {
	t.Helper()
	m.config(t, text)
	return m.gocfg(t, nil, "switch", "-c", cfgDir)
}

// generations returns the numbers `gocfg generations list` lists and the
// current one (0: none).
func (m *machine) generations(t testing.TB) (all []int, current int) {
	t.Helper()
	out := m.mustGocfg(t, "generations", "list")
	if strings.HasPrefix(out, "No generations") {
		return nil, 0
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for _, l := range lines[1:] { // the first line is the header
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		cur := strings.HasSuffix(f[0], "*")
		n, err := strconv.Atoi(strings.TrimSuffix(f[0], "*"))
		if err != nil {
			t.Fatalf("gocfg generations list: line %q:\n%s", l, out)
		}
		all = append(all, n)
		if cur {
			current = n
		}
	}
	return all, current
}

// wantGenerations checks the listed generations and the current one.
func (m *machine) wantGenerations(t testing.TB, wantAll []int, wantCurrent int) {
	t.Helper()
	all, cur := m.generations(t)
	if fmt.Sprint(all) != fmt.Sprint(wantAll) || cur != wantCurrent {
		t.Errorf("generations %v, current %d; want %v, current %d", all, cur, wantAll, wantCurrent)
	}
}

// out runs args and returns the trimmed output whatever the exit status
// (systemctl is-active says "inactive" with status 3).
func (m *machine) out(t testing.TB, args ...string) string {
	t.Helper()
	return strings.TrimSpace(m.run(t, args...).out)
}

// unitLinks lists /etc/systemd/system, where enabling a unit makes links,
// as sorted "path -> target" lines.
func (m *machine) unitLinks(t testing.TB) string {
	t.Helper()
	return m.out(t, "sh", "-c", "find /etc/systemd/system -printf '%p -> %l\\n' | sort")
}

// show returns a property of a system unit.
func (m *machine) show(t testing.TB, unit, prop string) string {
	t.Helper()
	return m.out(t, "systemctl", "show", "-p", prop, "--value", unit)
}

// userShow returns a property of a unit of user's manager.
func (m *machine) userShow(t testing.TB, user, unit, prop string) string {
	t.Helper()
	return m.out(t, "systemctl", "--user", "-M", user+"@", "show", "-p", prop, "--value", unit)
}

// exists reports whether path exists inside (a dangling link counts).
func (m *machine) exists(t testing.TB, path string) bool {
	t.Helper()
	return m.run(t, "sh", "-c", `[ -e "$1" ] || [ -L "$1" ]`, "sh", path).code == 0
}

// read returns the content of path inside, following links, or fails.
func (m *machine) read(t testing.TB, path string) string {
	t.Helper()
	b, err := m.ReadFile(t, path)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	return string(b)
}

// waitUserManager waits until user's systemd user manager runs (after
// loginctl enable-linger starts user@UID.service).
func (m *machine) waitUserManager(t testing.TB, user string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		out, err := m.ExecAs(t, user, "systemctl", "--user", "is-system-running", "--wait")
		if s := strings.TrimSpace(out); err == nil && (s == "running" || s == "degraded") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the user manager of %s did not come up: %q, %v", user, out, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// wantContains fails the test unless s contains every one of want.
func wantContains(t testing.TB, what, s string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Errorf("%s does not say %q:\n%s", what, w, s)
		}
	}
}

// wantEqual fails the test unless got == want.
func wantEqual(t testing.TB, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

// planLine returns the line of a plan (gocfg's output) about the resource
// id, without its indentation, or "".
func planLine(out, id string) string {
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[1] == id {
			return strings.TrimSpace(l)
		}
	}
	return ""
}

// noChanges is what a switch with nothing to do prints.
const noChanges = "No changes: the machine matches the configuration."
