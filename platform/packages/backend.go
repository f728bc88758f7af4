package packages

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/gocfg/gocfg/platform/system"
)

// A backend is one package manager.
type backend interface {
	// name is the manager's name in the configuration: apt, dnf, pacman.
	name() string
	// installed reports which of names are installed.
	installed(ctx context.Context, q system.System, names []string) (map[string]bool, error)
	// check returns an error with the manager's message for the names it
	// cannot install (unknown packages); nil when it knows them all.
	check(ctx context.Context, q system.System, names []string) error
	install(names []string) system.Command
	remove(names []string) system.Command
}

// backends are the managers auto detection tries, in order, with the
// program that shows each is there.
var backends = []struct {
	program string
	b       backend
}{{"apt-get", apt{}}, {"dnf", dnf{}}, {"pacman", pacman{}}}

func backendNamed(name string) (backend, bool) {
	for _, b := range backends {
		if b.b.name() == name {
			return b.b, true
		}
	}
	return nil, false
}

// binDirs are where detection looks for a manager's program.
var binDirs = []string{"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"}

// detect returns the first manager whose program is in binDirs.
func detect(sys system.System) (backend, bool) {
	for _, b := range backends {
		for _, d := range binDirs {
			if fi, err := sys.Stat(d + "/" + b.program); err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0 {
				return b.b, true
			}
		}
	}
	return nil, false
}

// toolEnv is the managers' environment: a PATH with the sbin folders,
// untranslated messages (they are parsed) and no questions.
var toolEnv = []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", "DEBIAN_FRONTEND=noninteractive"}

func command(path string, args ...string) system.Command {
	return system.Command{Path: path, Args: args, Env: toolEnv, UID: -1, GID: -1}
}

// query is command for a question that changes nothing (dpkg-query,
// apt-cache policy, rpm -q): marked ReadOnly, it runs under gocfg plan's
// read-only System.
func query(path string, args ...string) system.Command {
	c := command(path, args...)
	c.ReadOnly = true
	return c
}

// exitCode returns the exit status of a command's error, -1 when it did
// not run to an exit.
func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return -1
}

// An UnknownError is a package the manager cannot install, with its
// message.
type UnknownError struct {
	Manager  string
	Packages []string
	Message  string
	// Option names the packages ("" is environment.system_packages;
	// macos.homebrew.casks for casks).
	Option string
}

func (e *UnknownError) Error() string {
	opt := e.Option
	if opt == "" {
		opt = option
	}
	return fmt.Sprintf("%s: %s cannot install %s:\n%s", opt, e.Manager, strings.Join(e.Packages, ", "), indent(e.Message))
}

// Hint says how to find the right name with the manager's search.
func (e *UnknownError) Hint() string {
	search := map[string]string{"apt": "apt-cache search", "dnf": "dnf search", "pacman": "pacman -Ss", "brew": "brew search"}[e.Manager]
	if search == "" {
		search = "the package manager's search"
	}
	return "check the name with " + search + "; nothing was changed"
}

func indent(s string) string {
	s = strings.TrimSpace(s)
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}

// apt is Debian's and Ubuntu's manager.
type apt struct{}

func (apt) name() string { return "apt" }

func (apt) installed(ctx context.Context, q system.System, names []string) (map[string]bool, error) {
	out, err := q.Run(ctx, query("dpkg-query", "-W", "-f", `${Package}\t${Status}\n`))
	if err != nil {
		return nil, fmt.Errorf("read the installed packages: %w", err)
	}
	all := parseDpkgQuery(out)
	got := map[string]bool{}
	for _, n := range names {
		base, _, _ := strings.Cut(n, ":") // name:arch
		got[n] = all[base]
	}
	return got, nil
}

// parseDpkgQuery reads `dpkg-query -W -f '${Package}\t${Status}\n'`: the
// packages whose status is "<want> ok installed".
func parseDpkgQuery(out []byte) map[string]bool {
	got := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		name, status, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			continue
		}
		f := strings.Fields(status)
		if len(f) == 3 && f[1] == "ok" && f[2] == "installed" {
			got[name] = true
		}
	}
	return got
}

// check asks apt-cache policy about every name at once: a name it does
// not list is unknown; one without a candidate (a virtual package, one
// only in a removed release) is tried with `apt-get install --simulate`
// for apt's own message.
func (apt) check(ctx context.Context, q system.System, names []string) error {
	out, err := q.Run(ctx, query("apt-cache", append([]string{"policy", "--"}, names...)...))
	if err != nil {
		return fmt.Errorf("apt-cache policy: %w", err)
	}
	cands := parseAptPolicy(out)
	var bad []string
	var msgs []string
	for _, n := range names {
		c, listed := cands[n]
		switch {
		case !listed:
			bad = append(bad, n)
			msgs = append(msgs, "E: Unable to locate package "+n)
		case c == "(none)":
			sim, err := q.Run(ctx, query("apt-get", "install", "--simulate", "--quiet", "--no-install-recommends", "--", n))
			if err != nil {
				bad = append(bad, n)
				msgs = append(msgs, aptErrors(sim, n))
			}
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return &UnknownError{Manager: "apt", Packages: bad, Message: strings.Join(msgs, "\n")}
}

// aptErrors keeps apt-get's explanation: the lines after "Reading state
// information...", or a fallback.
func aptErrors(out []byte, name string) string {
	var keep []string
	for _, l := range strings.Split(string(out), "\n") {
		l = strings.TrimRight(l, " \r")
		if l == "" || strings.HasPrefix(l, "Reading package lists") || strings.HasPrefix(l, "Building dependency tree") || strings.HasPrefix(l, "Reading state information") {
			continue
		}
		keep = append(keep, l)
	}
	if len(keep) == 0 {
		return "E: Package '" + name + "' has no installation candidate"
	}
	return strings.Join(keep, "\n")
}

var policyHead = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\S+):$`) })

// parseAptPolicy reads `apt-cache policy NAME...`: each listed package's
// candidate ("(none)" when it has none).
func parseAptPolicy(out []byte) map[string]string {
	got := map[string]string{}
	cur := ""
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if m := policyHead().FindStringSubmatch(line); m != nil {
			cur = m[1]
			got[cur] = "(none)"
			continue
		}
		if cur == "" {
			continue
		}
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "Candidate:"); ok {
			got[cur] = strings.TrimSpace(v)
		}
	}
	return got
}

// aptLockWait has apt-get wait for the package database's lock while
// another apt or dpkg holds it (DPkg::Lock::Timeout, in seconds; apt
// 1.9.11 and later, an unknown setting to older ones): a switch that
// met unattended-upgrades, or an administrator's apt-get, failed at once
// (tester BI). Two minutes at most: the switch holds gocfg's own lock
// meanwhile, and an interrupt waits for the step in progress.
var aptLockWait = []string{"-o", "DPkg::Lock::Timeout=120"}

func (apt) install(names []string) system.Command {
	return command("apt-get", slices.Concat(aptLockWait, []string{"install", "-y", "--no-install-recommends", "--"}, names)...)
}

func (apt) remove(names []string) system.Command {
	return command("apt-get", slices.Concat(aptLockWait, []string{"remove", "-y", "--"}, names)...)
}

// dnf is Fedora's and RHEL's manager.
type dnf struct{}

func (dnf) name() string { return "dnf" }

// installed runs `rpm -q --qf '%{NAME}\n' NAME...`: installed packages
// print their name, the others "package NAME is not installed" (and the
// exit status counts them).
func (dnf) installed(ctx context.Context, q system.System, names []string) (map[string]bool, error) {
	out, err := q.Run(ctx, query("rpm", append([]string{"-q", "--qf", `%{NAME}\n`, "--"}, names...)...))
	if err != nil && exitCode(err) < 0 {
		return nil, fmt.Errorf("rpm -q: %w", err)
	}
	return parseRPMQuery(out, names), nil
}

// parseRPMQuery reads `rpm -q` output for names.
func parseRPMQuery(out []byte, names []string) map[string]bool {
	got := map[string]bool{}
	lines := map[string]bool{}
	for _, l := range strings.Split(string(out), "\n") {
		lines[strings.TrimSpace(l)] = true
	}
	for _, n := range names {
		got[n] = lines[n] && !lines["package "+n+" is not installed"]
	}
	return got
}

// check runs `dnf info --quiet NAME` for each name; a failure is an
// unknown package, with dnf's message.
func (dnf) check(ctx context.Context, q system.System, names []string) error {
	var bad, msgs []string
	for _, n := range names {
		out, err := q.Run(ctx, query("dnf", "info", "--quiet", "--", n))
		if err == nil {
			continue
		}
		if exitCode(err) < 0 {
			return fmt.Errorf("dnf info: %w", err)
		}
		bad = append(bad, n)
		msg := strings.TrimSpace(string(out))
		if msg == "" {
			msg = "No matching packages to list: " + n
		}
		msgs = append(msgs, msg)
	}
	if len(bad) == 0 {
		return nil
	}
	return &UnknownError{Manager: "dnf", Packages: bad, Message: strings.Join(msgs, "\n")}
}

func (dnf) install(names []string) system.Command {
	return command("dnf", append([]string{"install", "-y", "--"}, names...)...)
}

func (dnf) remove(names []string) system.Command {
	return command("dnf", append([]string{"remove", "-y", "--"}, names...)...)
}

// pacman is Arch Linux's manager.
type pacman struct{}

func (pacman) name() string { return "pacman" }

// installed runs `pacman -Q NAME...`: "NAME VERSION" for installed
// packages, "error: package 'NAME' was not found" for the others.
func (pacman) installed(ctx context.Context, q system.System, names []string) (map[string]bool, error) {
	out, err := q.Run(ctx, query("pacman", append([]string{"-Q", "--"}, names...)...))
	if err != nil && exitCode(err) < 0 {
		return nil, fmt.Errorf("pacman -Q: %w", err)
	}
	return parsePacmanQuery(out, names), nil
}

func parsePacmanQuery(out []byte, names []string) map[string]bool {
	have := map[string]bool{}
	for _, l := range strings.Split(string(out), "\n") {
		if f := strings.Fields(l); len(f) == 2 && !strings.HasPrefix(l, "error:") {
			have[f[0]] = true
		}
	}
	got := map[string]bool{}
	for _, n := range names {
		got[n] = have[n]
	}
	return got
}

// check runs `pacman -Si NAME` for each name (and `pacman -Sg NAME`, as a
// group is installable too).
func (pacman) check(ctx context.Context, q system.System, names []string) error {
	var bad, msgs []string
	for _, n := range names {
		out, err := q.Run(ctx, query("pacman", "-Si", "--", n))
		if err == nil {
			continue
		}
		if exitCode(err) < 0 {
			return fmt.Errorf("pacman -Si: %w", err)
		}
		if g, err := q.Run(ctx, query("pacman", "-Sg", "--", n)); err == nil && len(bytes.TrimSpace(g)) > 0 {
			continue
		}
		bad = append(bad, n)
		msgs = append(msgs, strings.TrimSpace(string(out)))
	}
	if len(bad) == 0 {
		return nil
	}
	return &UnknownError{Manager: "pacman", Packages: bad, Message: strings.Join(msgs, "\n")}
}

func (pacman) install(names []string) system.Command {
	return command("pacman", append([]string{"-S", "--noconfirm", "--needed", "--"}, names...)...)
}

// remove is pacman -Rs: with the dependencies installed for the packages
// (not explicitly) that no other package requires, as apt's removal
// takes the dependencies it frees. pacman refuses to remove a package
// another one requires.
func (pacman) remove(names []string) system.Command {
	return command("pacman", append([]string{"-Rs", "--noconfirm", "--"}, names...)...)
}

func sorted(set map[string]bool) []string {
	var xs []string
	for x, ok := range set {
		if ok {
			xs = append(xs, x)
		}
	}
	sort.Strings(xs)
	return xs
}
