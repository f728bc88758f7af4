package packages

import (
	"slices"

	"github.com/gocfg/gocfg/platform/recdiff"
)

func init() { recdiff.Register("packages", recdiff.Decoded(DecodeRecords, Diff)) }

// Diff lists what differs from the packages a records to those b
// records, one change per package (package:<manager>:<name>), Homebrew
// cask (cask:<name>) and tap (tap:<name>) declared in one and not the
// other; a package both declare differs when only one generation
// installed it (gocfg removes only what it installed). A change of the
// user brew runs as is packages:brew.
func Diff(a, b *Records) []recdiff.Change {
	var cs []recdiff.Change
	cs = diffSet(cs, "package:"+managerOf(a)+":", "package:"+managerOf(b)+":", a.Packages, a.Installed, b.Packages, b.Installed)
	cs = diffSet(cs, "cask:", "cask:", a.Casks.names(), a.Casks.installed(), b.Casks.names(), b.Casks.installed())
	cs = diffSet(cs, "tap:", "tap:", a.Taps.names(), a.Taps.installed(), b.Taps.names(), b.Taps.installed())
	if a.BrewUser != b.BrewUser {
		var fs recdiff.Fields
		fs.Add("brew_user", orNone(a.BrewUser), orNone(b.BrewUser))
		cs = recdiff.Updated(cs, "packages:brew", "packages", fs)
	}
	return cs
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
