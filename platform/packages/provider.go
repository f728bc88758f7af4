package packages

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

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
type Provider struct {
	Layout  *Layout
	Config  *Config
	Records *Records
}

var _ platform.Provider = (*Provider)(nil)

// Name keys the records in resources.json.
func (*Provider) Name() string { return "packages" }

// DecodeRecords reads the provider's records (nil data: none).
func DecodeRecords(data json.RawMessage) (*Records, error) {
	recs := &Records{}
	if len(data) == 0 || string(data) == "null" {
		return recs, nil
	}
	if err := json.Unmarshal(data, recs); err != nil {
		return nil, fmt.Errorf("packages records: %w", err)
	}
	return recs, nil
}

// A ConfigError names the option a configuration error is about.
type ConfigError = platform.ConfigError

const option = "environment.system_packages"

// Plan compares the declared packages, the ones gocfg installed and the
// package database.
func (p *Provider) Plan(ctx context.Context, appliedData json.RawMessage) (*platform.Part, error) {
	l := p.Layout
	applied, err := DecodeRecords(appliedData)
	if err != nil {
		return nil, err
	}
	var want []string
	manager := "auto"
	switch {
	case p.Records != nil:
		want = p.Records.Packages
		if p.Records.Manager != "" {
			manager = p.Records.Manager
		}
	case p.Config != nil:
		want = p.Config.SystemPackages
		if p.Config.PackageManager != "" {
			manager = p.Config.PackageManager
		}
	}
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
	skip := func(why string) (*platform.Part, error) {
		part.Notes = append(part.Notes, option+": "+why)
		return part, nil
	}
	switch {
	case l.OS == "darwin":
		return nil, &ConfigError{Option: "environment.package_manager", Msg: fmt.Sprintf("%s is a Linux package manager; this is macOS", manager), Hint: `use "auto" or "brew" on macOS`}
	case l.Rooted:
		return skip("package installation needs the live machine; skipped under --root")
	case !l.Privileged:
		return skip("installing packages needs root; skipped")
	}
	if _, dry := l.Sys.(*system.DryRun); dry && l.Query == nil {
		return skip("the package database cannot be read through --dry-run's System (Layout.Query is not set); skipped")
	}
	var b backend
	if manager == "auto" {
		var ok bool
		if b, ok = detect(l.Sys); !ok {
			return nil, &ConfigError{Option: "environment.package_manager", Msg: "no apt-get, dnf or pacman on this machine",
				Hint: "install one, or set environment.package_manager"}
		}
	} else {
		var ok bool
		if b, ok = backendNamed(manager); !ok {
			return nil, &ConfigError{Option: "environment.package_manager", Msg: fmt.Sprintf("unknown package manager %q", manager), Hint: "use auto, apt, dnf, pacman or brew"}
		}
	}
	mine := map[string]bool{}
	if applied.Manager == "" || applied.Manager == b.name() {
		for _, n := range applied.Installed {
			mine[n] = true
		}
	} else if len(applied.Installed) > 0 {
		part.Warnings = append(part.Warnings, fmt.Sprintf("%s: the package manager changed from %s to %s; the packages gocfg installed with %s (%s) are left alone and no longer managed",
			option, applied.Manager, b.name(), applied.Manager, strings.Join(applied.Installed, ", ")))
	}
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
	q := l.query()
	live, err := b.installed(ctx, q, ask)
	if err != nil {
		return nil, err
	}
	var missing, remove, gone []string
	for _, n := range want {
		if !live[n] {
			missing = append(missing, n)
		}
	}
	for _, n := range sorted(mine) {
		if wanted[n] {
			continue
		}
		if live[n] {
			remove = append(remove, n)
		} else {
			gone = append(gone, n)
		}
	}
	if len(missing) > 0 {
		if err := b.check(ctx, q, missing); err != nil {
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
	if len(remove) > 0 || len(gone) > 0 {
		ch := platform.Change{ID: RemoveID, Kind: "packages", Action: platform.Delete, Before: b.name() + ": " + count(len(remove)+len(gone)) + ": " + strings.Join(append(append([]string(nil), remove...), gone...), ", ")}
		if len(gone) > 0 {
			ch.Drift = "removed by hand already: " + strings.Join(gone, ", ")
		}
		if len(remove) > 0 {
			ch.Before = b.name() + ": remove " + count(len(remove)) + ": " + strings.Join(remove, ", ")
			ch.Ops = []platform.Op{&RemoveOp{Manager: b.name(), Packages: remove}}
		}
		part.Changes = append(part.Changes, ch)
	}
	if len(missing) > 0 {
		ch := platform.Change{ID: InstallID, Kind: "packages", Action: platform.Create,
			After: b.name() + ": install " + count(len(missing)) + ": " + strings.Join(missing, ", "),
			Ops:   []platform.Op{&InstallOp{Manager: b.name(), Packages: missing}}}
		var again []string
		for _, n := range missing {
			if mine[n] {
				again = append(again, n)
			}
		}
		if len(again) > 0 {
			ch.Drift = "removed by hand since gocfg installed them: " + strings.Join(again, ", ")
		}
		part.Changes = append(part.Changes, ch)
	}
	return part, nil
}

// clean sorts the names and drops repeats; an empty or option-like name
// is an error.
func clean(names []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		if n == "" || strings.HasPrefix(n, "-") || strings.ContainsAny(n, " \t\n/") {
			return nil, &ConfigError{Option: option, Msg: fmt.Sprintf("%q is not a package name", n), Hint: `write package names as the package manager knows them, like "ripgrep"`}
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out, nil
}

func count(n int) string {
	if n == 1 {
		return "1 package"
	}
	return fmt.Sprintf("%d packages", n)
}
