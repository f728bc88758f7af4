package packages

import (
	"maps"
	"slices"

	"github.com/gocfg/gocfg/platform/recdiff"
)

func init() { recdiff.Register("packages", recdiff.Decoded(DecodeRecords, Diff)) }

// Diff lists what differs from the packages a records to those b
// records, one change per package (package:<manager>:<name>), Homebrew
// cask (cask:<name>), tap (tap:<name>) and App Store app (app:<name>)
// declared in one and not the other; one both declare differs when only
// one generation installed it (gocfg removes only what it installed). A
// change of the user brew runs as, or of macos.homebrew.cleanup, is
// packages:brew.
func Diff(a, b *Records) []recdiff.Change {
	var cs []recdiff.Change
	cs = diffSet(cs, "package:"+managerOf(a)+":", "package:"+managerOf(b)+":", a.Packages, a.Installed, b.Packages, b.Installed)
	cs = diffSet(cs, "cask:", "cask:", a.Casks.names(), a.Casks.installed(), b.Casks.names(), b.Casks.installed())
	cs = diffSet(cs, "tap:", "tap:", a.Taps.names(), a.Taps.installed(), b.Taps.names(), b.Taps.installed())
	cs = diffSet(cs, "app:", "app:", a.Mas.names(), a.Mas.installedNames(), b.Mas.names(), b.Mas.installedNames())
	if a.BrewUser != b.BrewUser || a.Cleanup != b.Cleanup {
		var fs recdiff.Fields
		fs.Add("brew_user", orNone(a.BrewUser), orNone(b.BrewUser))
		fs.Add("cleanup", orNone(a.Cleanup), orNone(b.Cleanup))
		cs = recdiff.Updated(cs, "packages:brew", "packages", fs)
	}
	return cs
}

// names are the declared App Store apps' names, sorted (nil-safe).
func (m *MasSet) names() []string {
	if m == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(m.Apps))
}

// installedNames are the names of the apps gocfg installed.
func (m *MasSet) installedNames() []string {
	var out []string
	for _, n := range m.names() {
		if slices.Contains(m.Installed, m.Apps[n]) {
			out = append(out, n)
		}
	}
	return out
}

// managerOf is the manager records name; "system" in records that name
// none.
func managerOf(r *Records) string {
	if r.Manager == "" {
		return "system"
	}
	return r.Manager
}

func diffSet(cs []recdiff.Change, prefixA, prefixB string, namesA, installedA, namesB, installedB []string) []recdiff.Change {
	inA := map[string]bool{}
	for _, n := range namesA {
		inA[prefixA+n] = true
	}
	inB := map[string]bool{}
	for _, n := range namesB {
		id := prefixB + n
		inB[id] = true
		switch {
		case !inA[id]:
			cs = append(cs, recdiff.Created(id, "package"))
		default:
			var fs recdiff.Fields
			fs.Add("installed by gocfg", yesNo(slices.Contains(installedA, n)), yesNo(slices.Contains(installedB, n)))
			cs = recdiff.Updated(cs, id, "package", fs)
		}
	}
	for _, n := range namesA {
		if id := prefixA + n; !inB[id] {
			cs = append(cs, recdiff.Deleted(id, "package"))
		}
	}
	return cs
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func orNone(s string) string {
	if s == "" {
		return recdiff.None
	}
	return s
}
