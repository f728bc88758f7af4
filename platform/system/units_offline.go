package system

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
)

var _ Units = (*offlineUnits)(nil)

// An offlineUnits is the Units of a machine tree where no manager runs
// (`--root DIR`), as `systemctl --root` sees it: enabling makes the
// links the units' [Install] sections ask for, disabling removes them,
// and jobs do nothing. Every path goes through sys, in machine paths.
type offlineUnits struct {
	sys System
	// config is the folder enable writes to: /etc/systemd/system, or the
	// user's ~/.config/systemd/user.
	config string
	// search is where unit files are looked for, in systemd's order for
	// what persists on disk (config first; /run is empty offline).
	search []string
	// uid and gid own the folders and links made for a user's manager;
	// -1 leaves the owner alone.
	uid, gid int
}

// newOfflineUnits returns the offline Units of scope on sys (a Rooted
// System). A user's home is its entry in the tree's /etc/passwd, else
// /home/<user> (/root for root).
func newOfflineUnits(sys System, scope UnitScope) *offlineUnits {
	u := &offlineUnits{sys: sys, uid: -1, gid: -1}
	if scope.System() {
		u.config = "/etc/systemd/system"
		u.search = []string{
			u.config,
			"/usr/local/lib/systemd/system",
			"/usr/lib/systemd/system",
			"/lib/systemd/system",
		}
		return u
	}
	home := passwdHome(sys, scope.User)
	u.config = path.Join(home, ".config/systemd/user")
	u.search = []string{
		u.config,
		"/etc/systemd/user",
		path.Join(home, ".local/share/systemd/user"),
		"/usr/local/share/systemd/user",
		"/usr/share/systemd/user",
		"/usr/local/lib/systemd/user",
		"/usr/lib/systemd/user",
	}
	if os.Geteuid() == 0 && scope.UID >= 0 {
		u.uid, u.gid = scope.UID, scope.GID
	}
	return u
}

// passwdHome returns the home folder of user from sys's /etc/passwd, or
// the usual default when it is not there. (platform/accounts has the
// full reader, but it imports this package.)
func passwdHome(sys System, user string) string {
	if data, err := sys.ReadFile("/etc/passwd"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			f := strings.Split(line, ":")
			if len(f) >= 7 && f[0] == user && path.IsAbs(f[5]) {
				return path.Clean(f[5])
			}
		}
	}
	if user == "root" {
		return "/root"
	}
	return "/home/" + user
}

// DaemonReload does nothing: no manager runs.
func (*offlineUnits) DaemonReload(context.Context) error { return nil }

// Start does nothing: no manager runs.
func (*offlineUnits) Start(context.Context, string) error { return nil }

// Stop does nothing: no manager runs.
func (*offlineUnits) Stop(context.Context, string) error { return nil }

// Restart does nothing: no manager runs.
func (*offlineUnits) Restart(context.Context, string) error { return nil }

// Reload does nothing: no manager runs.
func (*offlineUnits) Reload(context.Context, string) error { return nil }

// ResetFailed does nothing: no manager runs.
func (*offlineUnits) ResetFailed(context.Context, string) error { return nil }

// Journal returns "": nothing ran.
func (*offlineUnits) Journal(context.Context, string, int) string { return "" }

// Close does nothing.
func (*offlineUnits) Close() error { return nil }

// unitFile is a unit file found in the search path.
type unitFile struct {
	path    string // machine path of the file
	masked  bool   // a link to /dev/null
	install installInfo
}

// find looks name (or, for an instance, its template) up in the search
// path. It returns nil when there is no such file.
func (u *offlineUnits) find(name string) (*unitFile, error) {
	names := []string{name}
	if t := templateOf(name); t != "" {
		names = append(names, t)
	}
	for _, n := range names {
		for _, dir := range u.search {
			p := path.Join(dir, n)
			fi, err := u.sys.Lstat(p)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("unit %s: %w", name, err)
			}
			if fi.Mode()&fs.ModeSymlink != 0 {
				if t, err := u.sys.Readlink(p); err == nil && t == "/dev/null" {
					return &unitFile{path: p, masked: true}, nil
				}
			}
			data, err := u.sys.ReadFile(p)
			if err != nil {
				return nil, fmt.Errorf("unit %s: %w", name, err)
			}
			info, err := parseInstall(data)
			if err != nil {
				return nil, fmt.Errorf("unit %s: %s: %w", name, p, err)
			}
			return &unitFile{path: p, install: info}, nil
		}
	}
	return nil, nil
}

// Enable makes, for each unit, the links its [Install] section asks for,
// as `systemctl --root --force enable` does: <config>/<target>.wants/NAME
// (.requires/, .upholds/) and <config>/ALIAS, each pointing to the unit
// file's absolute machine path, replacing links in the way; units named
// by Also= are enabled too. An instance (foo@bar.service) links to its
// template; a template is enabled as its DefaultInstance=, if any.
func (u *offlineUnits) Enable(_ context.Context, names []string) error {
	return withAlso(names, u.enable)
}

// withAlso calls one for each unit of names and, after each, for the
// units it returns (those its unit file names with Also=), each unit at
// most once, and stops at the first error; a name that is not a unit's
// is one.
func withAlso(names []string, one func(name string) (also []string, err error)) error {
	done := map[string]bool{}
	var walk func(names []string) error
	walk = func(names []string) error {
		for _, name := range names {
			if done[name] {
				continue
			}
			done[name] = true
			if err := checkName(name); err != nil {
				return err
			}
			also, err := one(name)
			if err != nil {
				return err
			}
			if err := walk(also); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(names)
}

// enable enables one unit and returns the units it names with Also=.
func (u *offlineUnits) enable(name string) ([]string, error) {
	f, err := u.find(name)
	if err != nil {
		return nil, err
	}
	if f == nil {
		return nil, fmt.Errorf("unit %s: no unit file in %s", name, strings.Join(u.search, ", "))
	}
	if f.masked {
		return nil, fmt.Errorf("unit %s: masked (%s links to /dev/null)", name, f.path)
	}
	link := name
	if templateOf(name) == "" && strings.Contains(name, "@.") {
		// A template: enabled as its default instance, else not at all
		// (systemctl says the same).
		if f.install.defaultInstance == "" {
			link = ""
		} else {
			at := strings.IndexByte(name, '@')
			link = name[:at+1] + f.install.defaultInstance + name[at+1:]
		}
	}
	if link != "" {
		deps := []struct {
			suffix  string
			targets []string
		}{
			{".wants", f.install.wantedBy},
			{".requires", f.install.requiredBy},
			{".upholds", f.install.upheldBy},
		}
		for _, d := range deps {
			for _, target := range d.targets {
				dir := path.Join(u.config, target+d.suffix)
				if err := u.symlink(f.path, path.Join(dir, link)); err != nil {
					return nil, fmt.Errorf("unit %s: enable: %w", name, err)
				}
			}
		}
	}
	for _, alias := range f.install.alias {
		if alias == name || checkName(alias) != nil {
			continue
		}
		if err := u.symlink(f.path, path.Join(u.config, alias)); err != nil {
			return nil, fmt.Errorf("unit %s: enable: %w", name, err)
		}
	}
	return f.install.also, nil
}

// symlink makes name a link to target, creating its folder, replacing a
// link in the way but never a file or folder.
func (u *offlineUnits) symlink(target, name string) error {
	if err := u.mkdirAll(path.Dir(name)); err != nil {
		return err
	}
	if fi, err := u.sys.Lstat(name); err == nil && fi.Mode()&fs.ModeSymlink == 0 {
		return &fs.PathError{Op: "symlink", Path: name, Err: fs.ErrExist}
	}
	if err := u.sys.ReplaceSymlink(target, name); err != nil {
		return err
	}
	return u.chown(name)
}

// mkdirAll creates dir and its missing parents (0755), owned as the
// links are.
func (u *offlineUnits) mkdirAll(dir string) error {
	fi, err := u.sys.Stat(dir)
	if err == nil {
		if !fi.IsDir() {
			return &fs.PathError{Op: "mkdir", Path: dir, Err: errors.New("not a folder")}
		}
		return nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if parent := path.Dir(dir); parent != dir {
		if err := u.mkdirAll(parent); err != nil {
			return err
		}
	}
	if err := u.sys.Mkdir(dir, 0o755); err != nil {
		return err
	}
	return u.chown(dir)
}

// chown gives name to the user whose manager this is, if any.
func (u *offlineUnits) chown(name string) error {
	if u.uid < 0 {
		return nil
	}
	return u.sys.Lchown(name, u.uid, u.gid)
}

// Disable removes, for each unit, every link to it that enabling makes:
// the links named NAME in <config>/*.wants, *.requires and *.upholds,
// the links there and in <config> that point to a file named NAME
// (aliases, instances of a template), and the dependency folders it
// empties, as systemctl does. It works without the unit file; with it,
// the units named by Also= are disabled too.
func (u *offlineUnits) Disable(_ context.Context, names []string) error {
	return withAlso(names, u.disable)
}

// disable disables one unit and returns the units it names with Also=.
func (u *offlineUnits) disable(name string) ([]string, error) {
	links, err := u.links(name)
	if err != nil {
		return nil, fmt.Errorf("unit %s: disable: %w", name, err)
	}
	for _, l := range links {
		if err := u.sys.Remove(l); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("unit %s: disable: %w", name, err)
		}
		// systemctl removes a dependency folder it empties.
		if dir := path.Dir(l); dir != u.config {
			_ = u.sys.RemoveDir(dir) // only when empty
		}
	}
	f, err := u.find(name)
	if err != nil || f == nil {
		return nil, nil // nothing more to learn from a missing or broken file
	}
	return f.install.also, nil
}

// links returns the enablement links of name in the config folder.
func (u *offlineUnits) links(name string) ([]string, error) {
	entries, err := u.sys.ReadDir(u.config)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var links []string
	for _, e := range entries {
		p := path.Join(u.config, e.Name())
		switch {
		case e.Type()&fs.ModeSymlink != 0:
			// An alias: a link beside the unit files, to the unit.
			if e.Name() != name && u.pointsTo(p, name) {
				links = append(links, p)
			}
		case e.IsDir() && isDepDir(e.Name()):
			sub, err := u.sys.ReadDir(p)
			if err != nil {
				return nil, err
			}
			for _, s := range sub {
				if s.Type()&fs.ModeSymlink == 0 {
					continue
				}
				sp := path.Join(p, s.Name())
				if s.Name() == name || u.pointsTo(sp, name) {
					links = append(links, sp)
				}
			}
		}
	}
	return links, nil
}

// isDepDir reports whether a folder of the config folder holds
// dependency links.
func isDepDir(name string) bool {
	return strings.HasSuffix(name, ".wants") || strings.HasSuffix(name, ".requires") ||
		strings.HasSuffix(name, ".upholds")
}

// pointsTo reports whether the link p points to a file named name.
func (u *offlineUnits) pointsTo(p, name string) bool {
	t, err := u.sys.Readlink(p)
	return err == nil && path.Base(t) == name
}

// State reports what can be known offline: LoadState "loaded",
// "not-found" or "masked" from the unit file; UnitFileState "enabled"
// when a link made by Enable is there, else "disabled", or "static" for
// a unit whose [Install] section asks for nothing, "" for a unit file
// that leads outside a confined home; ActiveState "inactive" (SubState
// "dead"): nothing runs.
func (u *offlineUnits) State(_ context.Context, name string) (UnitState, error) {
	if err := checkName(name); err != nil {
		return UnitState{}, err
	}
	st := UnitState{ActiveState: "inactive", SubState: "dead"}
	f, err := u.find(name)
	if errors.Is(err, ErrOutside) {
		// A user's own unit file that is a link out of her home (stow's,
		// say): her manager would load it, and it is not read through the
		// link, so whether it is enabled is not known ("").
		st.LoadState = "loaded"
		return st, nil
	}
	if err != nil {
		return UnitState{}, err
	}
	switch {
	case f == nil:
		st.LoadState = "not-found"
		return st, nil
	case f.masked:
		st.LoadState, st.UnitFileState = "masked", "masked"
		return st, nil
	}
	st.LoadState = "loaded"
	links, err := u.links(name)
	if err != nil {
		return UnitState{}, fmt.Errorf("unit %s: state: %w", name, err)
	}
	switch {
	case len(links) > 0:
		st.UnitFileState = "enabled"
	case f.install.empty() && f.install.defaultInstance == "":
		st.UnitFileState = "static"
	default:
		st.UnitFileState = "disabled"
	}
	return st, nil
}
