package packages

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// App Store apps (macos.homebrew.mas_apps, nix-darwin's homebrew.masApps)
// are installed with mas, itself a Homebrew formula that gocfg adds to
// the formulae when any app is declared. mas runs as the user brew runs
// as (the one signed in to the App Store). gocfg never uninstalls an app
// unless macos.homebrew.cleanup asks, and then only an app it installed
// itself: `mas uninstall` (as root) of an app Apple ships or the user
// bought by hand is never run.

// The IDs of the App Store changes.
const (
	MasInstallID = "packages:mas-install"
	MasRemoveID  = "packages:mas-remove"
)

const optionMas = "macos.homebrew.mas_apps"

// MasSet is the App Store part of the records: the declared apps (name
// → App Store id) and the ids gocfg installed, the only ones it may
// remove.
type MasSet struct {
	Apps      map[string]int `json:"apps"`
	Installed []int          `json:"installed"`
}

// masWanted are the declared App Store apps.
func (p *Provider) masWanted() map[string]int {
	switch {
	case p.Records != nil && p.Records.Mas != nil:
		return p.Records.Mas.Apps
	case p.Records == nil && p.Config != nil:
		return p.Config.MasApps
	}
	return nil
}

// withMas adds the formula mas when apps are declared.
func withMas(formulae []string, apps map[string]int) []string {
	if len(apps) == 0 || slices.Contains(formulae, "mas") {
		return formulae
	}
	out := append(append([]string(nil), formulae...), "mas")
	sort.Strings(out)
	return out
}

// mas is the command `mas args...`, run as brew is.
func (b brew) mas(args ...string) system.Command {
	c := b.command(args...)
	for i, a := range c.Args {
		if a == b.Path {
			c.Args[i] = b.prefix() + "/bin/mas"
		}
	}
	return c
}

// masListed returns the ids `mas list` shows.
func (b brew) masListed(ctx context.Context, sys system.System) (map[int]bool, error) {
	c := b.mas("list")
	c.ReadOnly = true
	out, err := sys.Run(ctx, c)
	if err != nil {
		return nil, fmt.Errorf("mas list: %w", err)
	}
	got := map[int]bool{}
	for _, l := range strings.Split(string(out), "\n") {
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		if id, err := strconv.Atoi(f[0]); err == nil {
			got[id] = true
		}
	}
	return got, nil
}

// planMas plans the App Store apps: formulae is the formulae's plan (mas
// may be installed by this switch, and is then asked nothing).
func (b brew) planMas(ctx context.Context, q system.System, apps map[string]int, applied *MasSet, formulae *brewResult, cleanup string) ([]platform.Change, []string, *MasSet, error) {
	if len(apps) == 0 && (applied == nil || len(applied.Installed) == 0) {
		return nil, nil, nil, nil
	}
	var errs []string
	names := make([]string, 0, len(apps))
	for n, id := range apps {
		if id <= 0 {
			errs = append(errs, fmt.Sprintf("%s = %d", n, id))
		}
		names = append(names, n)
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return nil, nil, nil, &platform.ConfigError{Option: optionMas, Msg: "not App Store ids: " + strings.Join(errs, ", "), Hint: "the id is the number in the app's App Store address (…/id497799835)"}
	}
	sort.Strings(names)
	mine := map[int]bool{}
	if applied != nil {
		for _, id := range applied.Installed {
			mine[id] = true
		}
	}
	masNew := slices.Contains(formulae.missing, "mas")
	listed := map[int]bool{}
	var notes []string
	if masNew {
		if len(apps) > 0 {
			notes = append(notes, optionMas+": not checked before the switch: mas is installed by the switch first")
		}
	} else {
		var err error
		if listed, err = b.masListed(ctx, q); err != nil {
			return nil, nil, nil, fmt.Errorf("%s: %w", optionMas, err)
		}
	}
	rec := &MasSet{Apps: apps, Installed: []int{}}
	wanted := map[int]bool{}
	var missing []int
	var shown []string
	for _, n := range names {
		id := apps[n]
		wanted[id] = true
		if !listed[id] {
			missing = append(missing, id)
			shown = append(shown, fmt.Sprintf("%s (%d)", n, id))
		}
		if mine[id] || !listed[id] {
			rec.Installed = append(rec.Installed, id)
		}
	}
	var cs []platform.Change
	if len(missing) > 0 {
		ch := platform.Change{ID: MasInstallID, Kind: "packages", Action: platform.Create, Opposite: MasRemoveID, After: "mas: install " + strings.Join(shown, ", "),
			Ops: []platform.Op{&MasInstallOp{IDs: missing, Brew: b.Path, User: b.User}}}
		if masNew {
			ch.Deps = []string{InstallID}
		}
		cs = append(cs, ch)
	}
	var drop []int
	for id := range mine {
		if !wanted[id] && (masNew || listed[id]) {
			drop = append(drop, id)
		}
	}
	sort.Ints(drop)
	if len(drop) > 0 {
		ids := strings.Trim(fmt.Sprint(drop), "[]")
		if cleanup == "" {
			notes = append(notes, fmt.Sprintf("%s: App Store apps %s are no longer declared; left installed (set macos.homebrew.cleanup to remove them)", optionMas, ids))
		} else {
			cs = append(cs, platform.Change{ID: MasRemoveID, Kind: "packages", Action: platform.Delete, Opposite: MasInstallID, Before: "mas: uninstall " + ids + " (installed by gocfg, no longer declared)",
				Ops: []platform.Op{&MasRemoveOp{IDs: drop, Brew: b.Path, User: b.User}}})
		}
	}
	if len(apps) == 0 {
		rec = nil
	}
	return cs, notes, rec, nil
}

// A masChange is what MasInstallOp installs and MasRemoveOp removes.
type masChange struct {
	IDs []int `json:"ids"`
	// Brew is the brew program (mas is beside it); User the user mas
	// runs as.
	Brew string `json:"brew"`
	User string `json:"user,omitempty"`
}

// converge installs (or removes) the ids that are not so: installs as
// the user, `mas uninstall` as root (one id a run).
func (c *masChange) converge(ctx context.Context, sys system.System, install bool) error {
	b := brew{Path: c.Brew, User: c.User}
	listed, err := b.masListed(ctx, sys)
	if err != nil {
		return err
	}
	var todo []string
	for _, id := range c.IDs {
		if listed[id] != install {
			todo = append(todo, strconv.Itoa(id))
		}
	}
	if len(todo) == 0 {
		return nil
	}
	if install {
		if _, err := sys.Run(ctx, b.mas(append([]string{"install"}, todo...)...)); err != nil {
			return fmt.Errorf("mas install %s: %w", strings.Join(todo, " "), err)
		}
		return nil
	}
	root := brew{Path: c.Brew}
	for _, id := range todo {
		if _, err := sys.Run(ctx, root.mas("uninstall", id)); err != nil {
			return fmt.Errorf("mas uninstall %s: %w", id, err)
		}
	}
	return nil
}

// MasInstallOp installs App Store apps none of which was installed at
// plan time; Undo uninstalls them (`mas uninstall`, as root).
type MasInstallOp masChange

// Describe says what the op does.
func (o *MasInstallOp) Describe() string {
	return "mas: install " + strings.Trim(fmt.Sprint(o.IDs), "[]")
}

// Apply installs the apps not installed.
func (o *MasInstallOp) Apply(ctx context.Context, sys system.System) error {
	return (*masChange)(o).converge(ctx, sys, true)
}

// Undo uninstalls the op's apps that are installed.
func (o *MasInstallOp) Undo(ctx context.Context, sys system.System) error {
	return (*masChange)(o).converge(ctx, sys, false)
}

// MasRemoveOp uninstalls App Store apps gocfg installed
// (macos.homebrew.cleanup); Undo installs them again.
type MasRemoveOp masChange

// Describe says what the op does.
func (o *MasRemoveOp) Describe() string {
	return "mas: uninstall " + strings.Trim(fmt.Sprint(o.IDs), "[]")
}

// Apply uninstalls the apps still installed.
func (o *MasRemoveOp) Apply(ctx context.Context, sys system.System) error {
	return (*masChange)(o).converge(ctx, sys, false)
}

// Undo installs the apps again.
func (o *MasRemoveOp) Undo(ctx context.Context, sys system.System) error {
	return (*masChange)(o).converge(ctx, sys, true)
}
