package unit

import "strconv"

// Change is what a new version of a unit file means for the running unit,
// from the least to the most work: a value may come with the differences
// of the ones before it (an InstallOnly change may have cosmetic
// differences too, a Reload one an [Install] change), so callers compare
// with < and >=.
type Change int

const (
	// Same: the two files say the same thing to systemd.
	Same Change = iota
	// Cosmetic: only [Unit] keys that systemd applies at daemon-reload,
	// without a restart, differ (see Classify for the list).
	Cosmetic
	// InstallOnly: the [Install] section differs, and nothing else does
	// but cosmetic keys: re-enable the unit (its links into targets),
	// do not restart it.
	InstallOnly
	// Reload: X-Reload-Triggers in [Unit] differs, and nothing else but
	// [Install] and cosmetic keys: the running unit is reloaded, whatever
	// its configuration says of other changes (NixOS's
	// UnequalNeedsReload).
	Reload
	// Changed: anything else differs; the running unit must be restarted
	// (or reloaded, if its configuration says so).
	Changed
)

func (c Change) String() string {
	switch c {
	case Same:
		return "same"
	case Cosmetic:
		return "cosmetic"
	case InstallOnly:
		return "install-only"
	case Reload:
		return "reload"
	case Changed:
		return "changed"
	}
	return "Change(" + strconv.Itoa(int(c)) + ")"
}

// noRestartKeys are the [Unit] keys whose change needs no restart. They
// are the keys NixOS's switch-to-configuration-ng ignores when it
// compares units (unit_section_ignores in compare_units). The trigger
// keys are not among them: a change to X-Reload-Triggers is a Reload (see
// reloadKey), and X-Restart-Triggers exists to force a restart, so its
// change is Changed like any other key's.
var noRestartKeys = map[string]bool{
	"Description":       true,
	"Documentation":     true,
	"OnFailure":         true,
	"OnSuccess":         true,
	"OnFailureJobMode":  true,
	"IgnoreOnIsolate":   true,
	"StopWhenUnneeded":  true,
	"RefuseManualStart": true,
	"RefuseManualStop":  true,
	"AllowIsolate":      true,
	"CollectMode":       true,
	"SourcePath":        true,
}

// reloadKey is the [Unit] key whose change alone reloads the unit
// (reload_triggers; NixOS's reloadTriggers).
const reloadKey = "X-Reload-Triggers"

// Classify compares the old and new versions of a unit file, following
// NixOS's switch-to-configuration: for every section and key of either
// file, the list of values must be equal, order included (a missing key
// or section and one without values are the same). Then:
//
//   - keys of [Install] differ: InstallOnly (NixOS skips [Install], since
//     it links units into targets itself; gocfg re-enables instead);
//   - [Unit] keys Description, Documentation, OnFailure, OnSuccess,
//     OnFailureJobMode, IgnoreOnIsolate, StopWhenUnneeded,
//     RefuseManualStart, RefuseManualStop, AllowIsolate, CollectMode or
//     SourcePath differ: Cosmetic;
//   - the [Unit] key X-Reload-Triggers differs: Reload;
//   - any other key differs (X-Restart-Triggers among them): Changed.
//
// The result is the largest that applies. Different Environment= lines
// in another order are Changed, like any key's values in another order:
// RenderService sorts the variables, so that only happens against a file
// gocfg did not write.
func Classify(old, new File) Change {
	c := Same
	for name := range union(old, new) {
		o, n := old[name], new[name]
		for key := range union(o, n) {
			if o.equal(n, key) {
				continue
			}
			switch {
			case name == "Install":
				c = max(c, InstallOnly)
			case name == "Unit" && noRestartKeys[key]:
				c = max(c, Cosmetic)
			case name == "Unit" && key == reloadKey:
				c = max(c, Reload)
			default:
				return Changed
			}
		}
	}
	return c
}

// union is the set of keys of a and b.
func union[V any](a, b map[string]V) map[string]struct{} {
	u := make(map[string]struct{}, len(a)+len(b))
	for k := range a {
		u[k] = struct{}{}
	}
	for k := range b {
		u[k] = struct{}{}
	}
	return u
}
