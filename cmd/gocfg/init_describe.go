package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/internal/gitclone"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/system"
)

// A machineDescription is what `gocfg init` found on the machine, to
// write as the starter configuration.
type machineDescription struct {
	Host string
	// HostName is the static host name ("": none set, left out).
	HostName string
	Users    []accounts.Account
	Groups   map[string][]string // user → supplementary groups
	// DefaultHome returns the home folder a user gets when none is set.
	DefaultHome func(user string) string
	// Packages are the ones installed by hand (formulae on macOS);
	// Casks are Homebrew's casks.
	Packages, Casks []string
	// BrewUser is the user brew runs as when gocfg runs as root ("":
	// gocfg's own user).
	BrewUser string
	// Prefs are the typed macOS preferences set today, read as
	// PrimaryUser, who is named in the file when not the invoking user
	// (see init_macos_prefs.go).
	Prefs       []prefSetting
	PrimaryUser string
	// Notes say what was left out and why, as comments in the file.
	Notes []string
}

// runInitDescribe writes the starter repository into dir.
func runInitDescribe(ctx context.Context, opts *initOptions, dir string) error {
	env := opts.Env
	if err := refuseExisting(env, dir, opts.Apply.Machine); err != nil {
		return err
	}
	if err := configTarget(env, dir, "the folder to write the configuration into:"); err != nil {
		return err
	}
	m, err := openMachine(env, opts.Apply.Machine)
	if err != nil {
		return err
	}
	d, err := describeMachine(ctx, m, opts.Apply.Config.host(env))
	if err != nil {
		return err
	}
	hostFile := filepath.Join("hosts", d.Host+".hcl")
	if err := writeStarter(dir, map[string]string{
		hostFile:    d.hcl(),
		"README.md": starterReadme(d.Host, configArg(env, dir)),
	}); err != nil {
		return err
	}
	author := gitclone.Author{Name: env.User, Email: env.User + "@" + cmpOrDefault(env.Hostname, "localhost")}
	commit, err := opts.Git.Init(ctx, dir, "gocfg init: "+d.Host+" as it is", author, env.Now())
	if err != nil {
		return withHints(err, "the files are written; commit them yourself with git -C "+dir+" add -A && git commit")
	}
	fmt.Fprintf(env.Stdout, "Wrote %s: %s (%s, %s) and README.md; commit %s.\n\nNext: gocfg plan%s should show no changes; edit %s, then gocfg switch%s.\n",
		dir, hostFile, count(len(d.Users), "user"), count(len(d.Packages)+len(d.Casks), "package"), shortCommit(commit),
		machineArgs(env, dir, opts.Apply.Machine), hostFile, machineArgs(env, dir, opts.Apply.Machine))
	return nil
}

func cmpOrDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// writeStarter writes files (relative paths) under dir.
func writeStarter(dir string, files map[string]string) error {
	for rel, text := range files {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// describeMachine reads the machine as the providers see it: the
// account database the users provider reads, login.defs for the range of
// ordinary users, and the package manager's list of what was installed
// by hand.
func describeMachine(ctx context.Context, m *machine, host string) (*machineDescription, error) {
	d := &machineDescription{Host: host, Groups: map[string][]string{}}
	min, max := 1000, 60000
	d.DefaultHome = func(u string) string { return "/home/" + u }
	if m.os == "darwin" {
		min, max = 501, 1<<31-1
		d.DefaultHome = func(u string) string { return "/Users/" + u }
	} else if defs, err := accounts.ReadLoginDefs(m.sys); err == nil {
		min, max = defs.UIDMin, defs.UIDMax
	}
	for _, a := range m.accounts.Users() {
		if a.UID < min || a.UID > max || strings.HasPrefix(a.Name, "_") {
			continue
		}
		d.Users = append(d.Users, a)
		d.Groups[a.Name] = m.accounts.SupplementaryGroups(a.Name)
	}
	if m.os == "linux" {
		if b, err := m.sys.ReadFile("/etc/hostname"); err == nil {
			d.HostName = strings.TrimSpace(string(b))
		}
	}
	var err error
	switch {
	case m.rooted:
		d.Notes = append(d.Notes, "packages: not read under --root (gocfg plans packages on the live machine only)")
	case m.os == "darwin":
		d.BrewUser = brewUserOf(m, d.Users)
		d.Packages, d.Casks, err = brewInstalled(ctx, m, d.BrewUser)
	default:
		var left int
		d.Packages, left, err = aptManual(ctx, m.query)
		if left > 0 {
			d.Notes = append(d.Notes, fmt.Sprintf("packages: of the ones apt-mark showmanual lists, %s that every Debian has\n# (essential, required or important) or that another package needs are left out", count(left, "package")))
		}
	}
	if err != nil {
		d.Notes = append(d.Notes, "packages: "+err.Error())
	}
	if m.os == "darwin" {
		d.describePrefs(ctx, m)
	}
	return d, nil
}

// describePrefs reads the typed macOS preferences (init_macos_prefs.go)
// of the user they belong to.
func (d *machineDescription) describePrefs(ctx context.Context, m *machine) {
	if m.rooted {
		d.Notes = append(d.Notes, "preferences: not read under --root (gocfg plans preferences on the live machine only)")
		return
	}
	u, ok := prefsUserOf(m, d.Users)
	if !ok {
		d.Notes = append(d.Notes, "preferences: not read (no user to read them as; run gocfg init as yourself or with sudo)")
		return
	}
	var notes []string
	d.Prefs, notes = readTypedPrefs(ctx, m, u)
	d.Notes = append(d.Notes, notes...)
	if len(d.Prefs) > 0 && u.Name != m.env.User {
		d.PrimaryUser = u.Name
	}
}

// aptManual lists the packages marked as installed by hand (apt-mark
// showmanual) that are leaves, as brew leaves lists them: not essential,
// not of priority required or important (every Debian has those, and
// debootstrap marks them manual too), and needed by no other installed
// package (it comes with that one). It says how many it left out; a
// machine without apt has none to list.
func aptManual(ctx context.Context, q system.System) (names []string, left int, err error) {
	if _, err := q.Stat("/usr/bin/apt-mark"); err != nil {
		return nil, 0, nil
	}
	tool := func(path string, args ...string) ([]byte, error) {
		return q.Run(ctx, system.Command{Path: path, Args: args, Env: []string{"LC_ALL=C", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"}, UID: -1, GID: -1, ReadOnly: true})
	}
	out, err := tool("/usr/bin/apt-mark", "showmanual")
	if err != nil {
		return nil, 0, fmt.Errorf("apt-mark showmanual: %w", err)
	}
	manual := lines(out)
	out, err = tool("/usr/bin/dpkg-query", "-W", "-f", "${Package}\t${db:Status-Status}\t${Priority}\t${Essential}\t${Pre-Depends}, ${Depends}\n")
	if err != nil {
		return manual, 0, nil // keep them all
	}
	skip := aptNotLeaves(out)
	for _, n := range manual {
		base, _, _ := strings.Cut(n, ":") // name:arch
		if !skip[base] {
			names = append(names, n)
		}
	}
	return names, len(manual) - len(names), nil
}

// aptNotLeaves reads dpkg-query's lines (package, status, priority,
// essential, dependencies) and returns the packages that are not leaves:
// essential, required or important, or a dependency of an installed
// package.
func aptNotLeaves(out []byte) map[string]bool {
	skip := map[string]bool{}
	for _, l := range strings.Split(string(out), "\n") {
		f := strings.Split(l, "\t")
		if len(f) != 5 || f[1] != "installed" {
			continue
		}
		if f[2] == "required" || f[2] == "important" || f[3] == "yes" {
			skip[f[0]] = true
		}
		for _, dep := range strings.Split(f[4], ",") {
			for _, alt := range strings.Split(dep, "|") {
				name, _, _ := strings.Cut(strings.TrimSpace(alt), " ")
				name, _, _ = strings.Cut(name, ":")
				if name != "" && name != f[0] {
					skip[name] = true
				}
			}
		}
	}
	return skip
}

// brewUserOf is the user brew runs as when root runs gocfg (Homebrew
// refuses root): the invoking user under sudo, else the Mac's one
// ordinary user; "" when gocfg does not run as root or no one fits.
func brewUserOf(m *machine, users []accounts.Account) string {
	if !m.privileged {
		return ""
	}
	if m.env.User != "" && m.env.User != "root" {
		return m.env.User
	}
	if len(users) == 1 {
		return users[0].Name
	}
	return ""
}

// brewInstalled lists Homebrew's formulae installed on request (brew
// leaves) and its casks, asking brew as user ("": as gocfg itself).
func brewInstalled(ctx context.Context, m *machine, user string) (formulae, casks []string, err error) {
	var brew string
	for _, p := range macos.HomebrewPrefixes {
		if fi, err := m.query.Stat(p + "/bin/brew"); err == nil && fi.Mode().IsRegular() {
			brew = p + "/bin/brew"
			break
		}
	}
	if brew == "" {
		return nil, nil, nil
	}
	prefix := strings.TrimSuffix(brew, "/bin/brew")
	ask := func(args ...string) ([]byte, error) {
		argv := append([]string{"HOMEBREW_NO_AUTO_UPDATE=1", "HOMEBREW_NO_ENV_HINTS=1", "PATH=" + prefix + "/bin:/usr/bin:/bin:/usr/sbin:/sbin", brew}, args...)
		c := macos.Query("/usr/bin/env", argv...)
		if user != "" {
			c = macos.Query(macos.Sudo, append([]string{"-u", user, "-H", "--", "/usr/bin/env"}, argv...)...)
		}
		c.Dir = "/"
		return m.query.Run(ctx, c)
	}
	out, err := ask("leaves", "--installed-on-request")
	if err != nil {
		// An older brew (or one that does not know leaves): what is
		// installed, dependencies included.
		if out, err = ask("list", "--formula", "-1"); err != nil {
			return nil, nil, fmt.Errorf("brew list: %w", err)
		}
	}
	formulae = lines(out)
	if out, err = ask("list", "--cask", "-1"); err != nil {
		return formulae, nil, fmt.Errorf("brew list --cask: %w", err)
	}
	return formulae, lines(out), nil
}

// lines returns the non-empty lines of out, sorted, without duplicates.
func lines(out []byte) []string {
	var ns []string
	for _, l := range bytes.Split(out, []byte("\n")) {
		if s := strings.TrimSpace(string(l)); s != "" && !strings.HasPrefix(s, "Warning:") {
			ns = append(ns, s)
		}
	}
	slices.Sort(ns)
	return slices.Compact(ns)
}

// hcl renders the description as hosts/<host>.hcl.
func (d *machineDescription) hcl() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s, as `gocfg init` found it: the first `gocfg plan` shows\n", d.Host)
	b.WriteString("# no changes. Change it, then `gocfg plan` and `gocfg switch`.\n")
	b.WriteString("# gocfg removes only the users and packages it created itself.\n")
	for _, n := range d.Notes {
		fmt.Fprintf(&b, "#\n# %s\n", n)
	}
	if d.HostName != "" {
		// /etc/hosts stays the machine's until the user says otherwise:
		// written from the host name, it would be the first plan's change.
		fmt.Fprintf(&b, "\nnetworking {\n  host_name = %s\n  # true: gocfg writes /etc/hosts (see networking.hosts)\n  manage_etc_hosts = false\n}\n", hclString(d.HostName))
	}
	for _, u := range d.Users {
		fmt.Fprintf(&b, "\nusers %s {\n", hclString(u.Name))
		attrs := [][2]string{{"uid", strconv.Itoa(u.UID)}}
		if u.GECOS != "" {
			attrs = append(attrs, [2]string{"description", hclString(u.GECOS)})
		}
		if u.Home != "" && u.Home != d.DefaultHome(u.Name) {
			attrs = append(attrs, [2]string{"home", hclString(u.Home)})
		}
		if u.Shell != "" {
			attrs = append(attrs, [2]string{"shell", hclString(u.Shell)})
		}
		if gs := d.Groups[u.Name]; len(gs) > 0 {
			attrs = append(attrs, [2]string{"groups", hclList(gs, "  ")})
		}
		writeAttrs(&b, attrs, "  ")
		b.WriteString("}\n")
	}
	if len(d.Packages) > 0 {
		fmt.Fprintf(&b, "\nenvironment {\n  system_packages = %s\n}\n", hclList(d.Packages, "  "))
	}
	var brew [][2]string
	if d.BrewUser != "" && len(d.Packages)+len(d.Casks) > 0 {
		brew = append(brew, [2]string{"user", hclString(d.BrewUser)})
	}
	if len(d.Casks) > 0 {
		brew = append(brew, [2]string{"casks", hclList(d.Casks, "    ")})
	}
	writeMacosBlock(&b, d.PrimaryUser, d.Prefs, brew) // init_macos_prefs.go
	return b.String()
}

// writeAttrs writes name = value lines with the = signs aligned, as
// hclfmt does.
func writeAttrs(b *strings.Builder, attrs [][2]string, indent string) {
	w := 0
	for _, a := range attrs {
		w = max(w, len(a[0]))
	}
	for _, a := range attrs {
		fmt.Fprintf(b, "%s%-*s = %s\n", indent, w, a[0], a[1])
	}
}

// hclList is a list of strings: on one line when short, else one item a
// line.
func hclList(items []string, indent string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = hclString(s)
	}
	if one := "[" + strings.Join(q, ", ") + "]"; len(one) <= 60 {
		return one
	}
	return "[\n" + indent + "  " + strings.Join(q, ",\n"+indent+"  ") + ",\n" + indent + "]"
}

// hclString quotes s as an HCL string literal: no interpolation, only
// the escapes HCL knows.
func hclString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04x`, r)
		case (r == '$' || r == '%') && strings.HasPrefix(s[i+1:], "{"):
			b.WriteRune(r)
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// starterReadme is the README of a starter repository.
func starterReadme(host, cfgArg string) string {
	return `# My machines, for gocfg

` + "`gocfg init`" + ` wrote this repository from the machine ` + host + ` as it was:
` + "`hosts/" + host + ".hcl`" + ` lists its ordinary users (with their shells and
groups) and the packages installed by hand. gocfg picks ` + "`hosts/<host>.hcl`" + `
by the machine's short host name (or ` + "`--host NAME`" + `), else ` + "`default.hcl`" + `.

What to do next:

1. ` + "`gocfg plan" + cfgArg + "`" + ` shows what ` + "`gocfg switch`" + ` would change: nothing yet,
   or nearly nothing.
2. Add what you want gocfg to manage: dotfiles (` + "`home \"<user>\" { files \".zshrc\" { source = \"./dotfiles/zshrc\" } }`" + `),
   files under /etc (` + "`environment { etc \"motd\" { text = \"...\" } }`" + `), services
   (` + "`systemd { services \"<name>\" { ... } }`" + `), packages. ` + "`gocfg options`" + ` lists every
   option.
3. ` + "`gocfg switch" + cfgArg + "`" + ` applies it and records a generation;
   ` + "`gocfg rollback`" + ` goes back to the one before.
4. Commit, push this repository somewhere, and on a new machine run
   ` + "`gocfg init --apply <its URL>`" + `: it clones the repository, shows the plan
   and switches to it in one command. ` + "`gocfg update`" + ` pulls and switches.
`
}
