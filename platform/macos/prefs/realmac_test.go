package prefs_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gocfg/gocfg/platform/macos/prefs"
	"howett.net/plist"
)

// realMac lists the domains of testdata/realmac, whose files
// (<domain>.plist) were taken as they were committed from real Macs
// (testdata/realmac/README.md names their sources).
var realMac = []string{
	prefs.GlobalDomain,
	"CoolTerm_Prefs",
	"com.apple.AppleMultitouchTrackpad",
	"com.apple.dock",
	"com.apple.symbolichotkeys",
	"com.googlecode.iterm2",
	"com.knollsoft.Rectangle",
}

// realMacFile is the testdata file of a real domain.
func realMacFile(domain string) string {
	return filepath.Join("testdata", "realmac", domain+".plist")
}

// untouchedDomain is a real file no configuration here sets a key of: its
// bytes must never change.
const untouchedDomain = "com.apple.symbolichotkeys"

// A realDomain is one real file as it was copied into alice's
// preferences.
type realDomain struct {
	path string // machine path
	data []byte
	keys map[string]any
}

// seedRealMac copies every real file into alice's Library/Preferences,
// byte for byte, and returns them by domain.
func seedRealMac(r *rig) map[string]realDomain {
	r.t.Helper()
	out := map[string]realDomain{}
	for _, domain := range realMac {
		data, err := os.ReadFile(realMacFile(domain))
		if err != nil {
			r.t.Fatal(err)
		}
		var v any
		if _, err := plist.Unmarshal(data, &v); err != nil {
			r.t.Fatalf("%s: %v", domain, err)
		}
		d := realDomain{path: prefs.UserFile("/Users/alice", domain), data: data, keys: prefs.Normalize(v).(map[string]any)}
		r.copyIn(d.path, data)
		out[domain] = d
	}
	return out
}

// realMacConfig changes a few keys of every real domain but one: bools,
// integers, reals (and an integer over a live real), strings, a date,
// arrays and nested dicts, keys that are new, and keys already as wanted
// (adopted). Some values are built from the originals, as a user copies
// what `defaults read` shows.
func realMacConfig(orig map[string]realDomain) map[string]map[string]any {
	apps := orig["com.apple.dock"].keys["persistent-apps"].([]any)
	// Slack leaves the Dock; the other tiles keep their data (bookmarks)
	// and big integers.
	keep := append(append([]any{}, apps[:2]...), apps[3:]...)
	return map[string]map[string]any{
		"com.apple.dock": {
			"autohide":        false,     // was true
			"tilesize":        int64(48), // was <real>28</real>: written as <integer>
			"largesize":       float64(64),
			"wvous-tl-corner": int64(5),
			"show-recents":    true,
			"persistent-apps": keep,
			"orientation":     "right",  // as it is: adopted
			"autohide-delay":  int64(0), // <real>0</real> live: equal, adopted
		},
		prefs.GlobalDomain: {
			"AppleLanguages":            []any{"en-GB", "fr-FR"},
			"AppleKeyboardUIMode":       int64(3),
			"com.apple.springing.delay": 0.25,
			"AppleShowAllExtensions":    true, // absent before
			"NSPreferredWebServices": map[string]any{
				"NSWebServicesProviderWebSearch": map[string]any{"NSDefaultDisplayName": "DuckDuckGo", "NSProviderIdentifier": "com.duckduckgo"},
			},
			"AppleLocale": "fr_FR", // adopted
		},
		"com.apple.AppleMultitouchTrackpad": {
			"TrackpadThreeFingerDrag": true,
			"FirstClickThreshold":     int64(2),
			"Clicking":                true, // adopted
		},
		"com.knollsoft.Rectangle": {
			"gapSize":         float64(8),
			"launchOnLogin":   false,
			"almostMaximize":  map[string]any{"keyCode": int64(36), "modifierFlags": int64(786432)},
			"SULastCheckTime": time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC),
			// A 4-byte real (0.30000001192092896) is the wanted 0.3.
			"footprintAlpha": 0.3,
		},
		"CoolTerm_Prefs": {
			"ShowToolbar":           "False",
			"Pref_RemoteSocketPort": "51414",
		},
		"com.googlecode.iterm2": {
			"SplitPaneDimmingAmount": 0.3,
			"TabStyle":               int64(2),
			"HideTab":                false,
			"ToolbeltTools":          []any{"Profiles"},
			"FsTabDelay":             int64(1), // <real>1</real> live: adopted
		},
	}
}

// userConfig is the Config of alice's domains in m.
func userConfig(r *rig, m map[string]map[string]any) *prefs.Config {
	user := map[string]any{}
	for d, keys := range m {
		km := map[string]any{}
		for k, v := range keys {
			km[k] = v
		}
		user[d] = km
	}
	return r.config(user, nil, nil)
}

// changedKeys lists "domain key" for every key of want whose live value
// differs (or is absent): what a switch must write.
func changedKeys(orig map[string]realDomain, want map[string]map[string]any) []string {
	var out []string
	for d, keys := range want {
		for k, v := range keys {
			if cur, ok := orig[d].keys[k]; !ok || !prefs.Equal(cur, v) {
				out = append(out, d+" "+k)
			}
		}
	}
	sort.Strings(out)
	return out
}

// writtenKeys reads "domain key" out of writes(log).
func writtenKeys(t *testing.T, log []string) []string {
	t.Helper()
	var out []string
	for _, w := range writes(log) {
		f := strings.Fields(w)
		if len(f) < 3 || f[0] != "write" && f[0] != "delete" {
			t.Fatalf("unexpected defaults command %q", w)
		}
		d := f[1]
		if d == "-g" {
			d = prefs.GlobalDomain
		}
		out = append(out, d+" "+f[2])
	}
	sort.Strings(out)
	return out
}

// checkOnlyChanged checks every real domain against its original: the
// keys of want hold their wanted value with the wanted type when they
// were written, or keep their original (and its type) when adopted;
// every other key is the original value, and nothing else is there.
func checkOnlyChanged(t *testing.T, r *rig, orig map[string]realDomain, want map[string]map[string]any) {
	t.Helper()
	for d, o := range orig {
		got, format := r.read(o.path)
		if d == untouchedDomain {
			if data, err := os.ReadFile(r.file(o.path)); err != nil || !bytes.Equal(data, o.data) {
				t.Errorf("%s: rewritten although none of its keys is set (%v)", d, err)
			}
			continue
		}
		if format != plist.BinaryFormat {
			t.Errorf("%s: written as %s, want binary as macOS writes it", d, plist.FormatNames[format])
		}
		for k, v := range want[d] {
			cur, had := o.keys[k]
			switch {
			case had && prefs.Equal(cur, v):
				// Adopted: never written, so the original type stays.
				if !reflect.DeepEqual(got[k], cur) {
					t.Errorf("%s %s = %#v, want the original %#v untouched", d, k, got[k], cur)
				}
			case !prefs.Equal(got[k], v):
				t.Errorf("%s %s = %s, want %s", d, k, prefs.Show(got[k]), prefs.Show(v))
			case reflect.TypeOf(got[k]) != reflect.TypeOf(prefs.Normalize(v)):
				t.Errorf("%s %s is a %T, want a %T", d, k, got[k], prefs.Normalize(v))
			}
		}
		for k, cur := range o.keys {
			if _, set := want[d][k]; set {
				continue
			}
			if g, ok := got[k]; !ok || !prefs.Equal(g, cur) {
				t.Errorf("%s %s = %s, want it untouched: %s", d, k, prefs.Show(g), prefs.Show(cur))
			}
		}
		for k := range got {
			if _, ok := o.keys[k]; !ok {
				if _, set := want[d][k]; !set {
					t.Errorf("%s: key %s appeared", d, k)
				}
			}
		}
	}
}

// checkOriginals checks that every real domain holds its original
// dictionary again, compared as prefs.Equal compares: numbers by value
// and dates to the second (a date put back from the generation's records
// went through plist XML, which has no fractions of a second).
func checkOriginals(t *testing.T, r *rig, orig map[string]realDomain, when string) {
	t.Helper()
	for d, o := range orig {
		got, _ := r.read(o.path)
		if !prefs.Equal(got, o.keys) {
			for k := range mergedKeys(got, o.keys) {
				if !prefs.Equal(got[k], o.keys[k]) {
					t.Errorf("%s: %s %s = %s, want the original %s", when, d, k, prefs.Show(got[k]), prefs.Show(o.keys[k]))
				}
			}
		}
	}
}

// mergedKeys is the set of the keys of a and b.
func mergedKeys[V any](a, b map[string]V) map[string]bool {
	out := map[string]bool{}
	for _, m := range []map[string]V{a, b} {
		for k := range m {
			out[k] = true
		}
	}
	return out
}

func TestRealMacPreferencesChangeOnlyTheConfiguredKeys(t *testing.T) {
	r := newRig(t)
	orig := seedRealMac(r)
	want := realMacConfig(orig)

	r.switchTo(userConfig(r, want))
	wantWritten := changedKeys(orig, want)
	if got := writtenKeys(t, r.log()); !sameSet(got, wantWritten) {
		t.Fatalf("written:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantWritten, "\n"))
	}
	if len(wantWritten) < 20 {
		t.Fatalf("only %d keys written: the configuration should change more", len(wantWritten))
	}
	checkOnlyChanged(t, r, orig, want)

	if again := r.plan(userConfig(r, want)); !again.Empty() {
		t.Fatalf("second plan not empty:\n%s", strings.Join(shown(again), "\n"))
	}

	// Letting go puts every original back, deletes the keys that were
	// not there, and leaves the adopted ones as they were.
	r.switchTo(r.config(nil, nil, nil))
	checkOriginals(t, r, orig, "after letting go")
	if _, ok := mustRead(r, orig[prefs.GlobalDomain].path)["AppleShowAllExtensions"]; ok {
		t.Error("AppleShowAllExtensions, absent before gocfg, is still set after letting go")
	}
	if data, _ := os.ReadFile(r.file(orig[untouchedDomain].path)); !bytes.Equal(data, orig[untouchedDomain].data) {
		t.Errorf("%s rewritten", untouchedDomain)
	}
	if p := r.plan(r.config(nil, nil, nil)); !p.Empty() {
		t.Fatalf("plan after letting go:\n%s", strings.Join(shown(p), "\n"))
	}
}

func TestRealMacPreferencesRollBack(t *testing.T) {
	r := newRig(t)
	orig := seedRealMac(r)
	// Generation 1 only adopts a key as it is.
	r.switchTo(userConfig(r, map[string]map[string]any{"com.apple.dock": {"orientation": "right"}}))
	checkOriginals(t, r, orig, "after generation 1")
	// Generation 2 changes every domain.
	want := realMacConfig(orig)
	r.switchTo(userConfig(r, want))
	checkOnlyChanged(t, r, orig, want)
	r.log()

	if err := r.apply(r.rollbackPlan(1), 1); err != nil {
		t.Fatal(err)
	}
	checkOriginals(t, r, orig, "after the rollback to generation 1")
	if got, want := len(writtenKeys(t, r.log())), len(changedKeys(orig, want)); got != want {
		t.Errorf("the rollback wrote %d keys, want the %d generation 2 changed", got, want)
	}
	if data, _ := os.ReadFile(r.file(orig[untouchedDomain].path)); !bytes.Equal(data, orig[untouchedDomain].data) {
		t.Errorf("%s rewritten", untouchedDomain)
	}
	// The rollback's records are generation 1's: planning generation 1's
	// configuration again changes nothing.
	if p := r.plan(userConfig(r, map[string]map[string]any{"com.apple.dock": {"orientation": "right"}})); !p.Empty() {
		t.Fatalf("plan after the rollback:\n%s", strings.Join(shown(p), "\n"))
	}
}

func TestRealMacFilesDecode(t *testing.T) {
	// The sources are what the README says: binary as macOS writes them,
	// and two applications' XML.
	formats := map[string]int{}
	for _, domain := range realMac {
		data, err := os.ReadFile(realMacFile(domain))
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		format, err := plist.Unmarshal(data, &v)
		if err != nil {
			t.Fatalf("%s: %v", domain, err)
		}
		formats[plist.FormatNames[format]]++
		if len(v) == 0 {
			t.Errorf("%s: empty", domain)
		}
	}
	if formats["Binary"] < 1 || formats["XML"] < 1 {
		t.Errorf("formats = %v, want binary and XML files", formats)
	}
}

func mustRead(r *rig, p string) map[string]any {
	m, _ := r.read(p)
	return m
}
