package packages

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// The IDs of the two changes a plan may have.
const (
	InstallID = "packages:install"
	RemoveID  = "packages:remove"
)

// A Provider plans system packages. Desired comes from the configuration
// (Config) or from a generation's records (Records: rollback, status).
type Provider platform.Base[Config, Records]

// Name keys the records in resources.json.
func (*Provider) Name() string { return "packages" }

const option = "environment.system_packages"

// Plan compares the declared packages, the ones gocfg installed and the
// package database.
func (p *Provider) Plan(ctx context.Context, appliedData json.RawMessage) (*platform.Part, error) {
	l := p.Machine
	applied, err := DecodeRecords(appliedData)
	if err != nil {
		return nil, err
	}
	want, manager := p.wanted()
	if manager == "brew" || l.OS == "darwin" && manager == "auto" {
		return p.planBrew(ctx, applied, want)
	}
	want, err = clean(want)
	if err != nil {
		return nil, err
	}
	part := &platform.Part{Records: applied.normalize()}
	if p.Config != nil && (len(p.Config.Casks) > 0 || len(p.Config.Taps) > 0) {
		part.Notes = append(part.Notes, "macos.homebrew.casks, macos.homebrew.taps: Homebrew's casks and taps are for macOS; ignored on "+l.OS)
	}
	if len(want) == 0 && len(applied.Installed) == 0 {
		part.Records = (&Records{Manager: applied.Manager}).normalize()
		return part, nil
	}
	why, err := p.skipped(manager)
	if err != nil {
		return nil, err
	}
	if why != "" {
		part.Notes = append(part.Notes, option+": "+why)
		return part, nil
	}
	b, err := backendFor(l.Sys, manager)
	if err != nil {
		return nil, err
	}
	mine := minePackages(part, applied, b)
	q := l.Reader()
	live, err := b.installed(ctx, q, asked(want, mine))
	if err != nil {
		return nil, err
	}
	d := decidePackages(want, mine, live)
	if b.name() == "apt" && slices.Contains(d.remove, "sudo") && rootLocked(q) {
		// Before the removal is simulated: apt would take sudo with a
		// dependency it frees.
		d.remove = without(d.remove, []string{"sudo"})
		part.Notes = append(part.Notes, option+": sudo: "+sudoKept)
	}
	if r, ok := b.(remover); ok && len(d.remove) > 0 {
		if d.removal, err = r.removal(ctx, q, d.remove); err != nil {
			return nil, err
		}
		kept := slices.Sorted(maps.Keys(d.removal.Kept))
		d.remove = without(d.remove, kept)
		for _, n := range kept {
			part.Notes = append(part.Notes, fmt.Sprintf("%s: %s is needed by %s, which removing it would remove too: left installed, and no longer managed by gocfg",
				option, n, strings.Join(d.removal.Kept[n], ", ")))
		}
	}
	if len(d.missing) > 0 {
		if err := b.check(ctx, q, d.missing); err != nil {
			return nil, err
		}
	}
	recs := &Records{Manager: b.name(), Packages: want}
	for _, n := range want {
		if mine[n] || !live[n] {
			recs.Installed = append(recs.Installed, n)
		}
	}
	part.Records = recs.normalize()
	part.Changes = append(part.Changes, d.changes(b.name(), mine)...)
	if len(d.missing) > 0 {
		part.Facts = &platform.Facts{Installs: d.missing}
	}
	return part, nil
}

// wanted returns the declared packages and the package manager asked
// for ("auto" when unset), from the records or the configuration.
func (p *Provider) wanted() ([]string, string) {
	switch {
	case p.Records != nil:
		return p.Records.Packages, cmpOr(p.Records.Manager, "auto")
	case p.Config != nil:
		return p.Config.SystemPackages, cmpOr(p.Config.PackageManager, "auto")
	}
	return nil, "auto"
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// skipped says why packages are not planned on this run ("" when they
// are), or refuses a Linux package manager on macOS.
func (p *Provider) skipped(manager string) (string, error) {
	l := p.Machine
	switch {
	case l.OS == "darwin":
		return "", &platform.ConfigError{Option: "environment.package_manager", Msg: fmt.Sprintf("%s is a Linux package manager; this is macOS", manager), Hint: `use "auto" or "brew" on macOS`}
	case l.Offline:
		return "package installation needs the live machine; skipped under --root", nil
	case !l.Privileged:
		return "installing packages needs root; skipped", nil
	}
	if _, dry := l.Sys.(*system.DryRun); dry && l.Query == nil {
		return "the package database cannot be read through --dry-run's System (Machine.Query is not set); skipped", nil
	}
	return "", nil
}

// backendFor returns the package manager named (or found, for "auto").
func backendFor(sys system.System, manager string) (backend, error) {
	if manager == "auto" {
		b, ok := detect(sys)
		if !ok {
			return nil, &platform.ConfigError{Option: "environment.package_manager", Msg: "no apt-get, dnf or pacman on this machine",
				Hint: "install one, or set environment.package_manager"}
		}
		return b, nil
	}
	b, ok := backendNamed(manager)
	if !ok {
		return nil, &platform.ConfigError{Option: "environment.package_manager", Msg: fmt.Sprintf("unknown package manager %q", manager), Hint: "use auto, apt, dnf, pacman or brew"}
	}
	return b, nil
}

// minePackages returns the packages gocfg installed with b; those it
// installed with another manager are let go of, with a warning.
func minePackages(part *platform.Part, applied *Records, b backend) map[string]bool {
	mine := map[string]bool{}
	if applied.Manager == "" || applied.Manager == b.name() {
		for _, n := range applied.Installed {
			mine[n] = true
		}
	} else if len(applied.Installed) > 0 {
		part.Warnings = append(part.Warnings, fmt.Sprintf("%s: the package manager changed from %s to %s; the packages gocfg installed with %s (%s) are left alone and no longer managed",
			option, applied.Manager, b.name(), applied.Manager, strings.Join(applied.Installed, ", ")))
	}
	return mine
}

// asked lists the packages whose state the plan needs: the wanted ones
// and the ones gocfg installed, sorted.
func asked(want []string, mine map[string]bool) []string {
	wanted := map[string]bool{}
	for _, n := range want {
		wanted[n] = true
	}
	ask := append([]string(nil), want...)
	for n := range mine {
		if !wanted[n] {
			ask = append(ask, n)
		}
	}
	sort.Strings(ask)
	return ask
}

// A packageDecision is what a plan does: install the missing packages,
// remove the ones gocfg installed that are no longer wanted, and forget
// those removed by hand already.
type packageDecision struct {
	missing, remove, gone []string
	// removal is what removing remove does to the other packages, when
	// the manager tells it (apt): the ones it frees go with it.
	removal removal
}

func decidePackages(want []string, mine, live map[string]bool) packageDecision {
	var d packageDecision
	wanted := map[string]bool{}
	for _, n := range want {
		wanted[n] = true
		if !live[n] {
			d.missing = append(d.missing, n)
		}
	}
	for _, n := range sorted(mine) {
		switch {
		case wanted[n]:
		case live[n]:
			d.remove = append(d.remove, n)
		default:
			d.gone = append(d.gone, n)
		}
	}
	return d
}

// changes are the plan's lines for the decision with manager.
func (d packageDecision) changes(manager string, mine map[string]bool) []platform.Change {
	var cs []platform.Change
	if len(d.remove) > 0 || len(d.gone) > 0 {
		ch := platform.Change{ID: RemoveID, Kind: "packages", Action: platform.Delete, Opposite: InstallID, Before: manager + ": " + count(len(d.remove)+len(d.gone)) + ": " + strings.Join(append(append([]string(nil), d.remove...), d.gone...), ", ")}
		if len(d.gone) > 0 {
			ch.Drift = "removed by hand already: " + strings.Join(d.gone, ", ")
		}
		if len(d.remove) > 0 {
			ch.Before = manager + ": remove " + count(len(d.remove)) + ": " + strings.Join(d.remove, ", ")
			op := &RemoveOp{Manager: manager, Packages: d.remove}
			if freed := d.removal.Freed; len(freed) > 0 {
				ch.Before += "; with " + strconv.Itoa(len(freed)) + " dependencies no longer needed: " + strings.Join(freed, ", ")
				op.Freed = freed
			}
			ch.Ops = []platform.Op{op}
		}
		cs = append(cs, ch)
	}
	if len(d.missing) > 0 {
		ch := platform.Change{ID: InstallID, Kind: "packages", Action: platform.Create, Opposite: RemoveID,
			After: manager + ": install " + count(len(d.missing)) + ": " + strings.Join(d.missing, ", "),
			Ops:   []platform.Op{&InstallOp{Manager: manager, Packages: d.missing}}}
		var again []string
		for _, n := range d.missing {
			if mine[n] {
				again = append(again, n)
			}
		}
		if len(again) > 0 {
			ch.Drift = "removed by hand since gocfg installed them: " + strings.Join(again, ", ")
		}
		cs = append(cs, ch)
	}
	return cs
}

// clean sorts the names and drops repeats; an empty or option-like name
// is an error, one naming every such name (tester U: only the first
// was named, and fixing it showed the next).
func clean(names []string) ([]string, error) {
	return sortedNames(names, func(n string) (string, bool) {
		return n, n != "" && !strings.HasPrefix(n, "-") && !strings.ContainsAny(n, " \t\n/")
	}, func(bad []string) error {
		return &platform.ConfigError{Option: option, Msg: notNames(bad, "a package name", "package names"), Hint: `write package names as the package manager knows them, like "ripgrep"`}
	})
}

// sortedNames checks each of names with norm, which gives the name's
// normal form and whether it is a name at all, and returns those sorted,
// without repeats; the names that are not names go to bad, all at once.
func sortedNames(names []string, norm func(string) (string, bool), bad func([]string) error) ([]string, error) {
	seen := map[string]bool{}
	var out, wrong []string
	for _, n := range names {
		c, ok := norm(n)
		if !ok {
			if !slices.Contains(wrong, n) {
				wrong = append(wrong, n)
			}
			continue
		}
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	if len(wrong) > 0 {
		return nil, bad(wrong)
	}
	sort.Strings(out)
	return out, nil
}

// notNames says that the names bad, in the order given, are not names
// of a kind: `"-y" is not a package name`, `"-y" and "a b" are not
// package names`.
func notNames(bad []string, one, many string) string {
	q := make([]string, len(bad))
	for i, n := range bad {
		q[i] = strconv.Quote(n)
	}
	if len(q) == 1 {
		return q[0] + " is not " + one
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1] + " are not " + many
}

func count(n int) string {
	if n == 1 {
		return "1 package"
	}
	return fmt.Sprintf("%d packages", n)
}
