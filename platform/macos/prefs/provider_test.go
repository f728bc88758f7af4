package prefs_test

import (
	"context"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/macfake"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/macos/prefs"
	"howett.net/plist"
)

const (
	dockFile   = "/Users/alice/Library/Preferences/com.apple.dock.plist"
	finderFile = "/Users/alice/Library/Preferences/com.apple.finder.plist"
	globalFile = "/Users/alice/Library/Preferences/.GlobalPreferences.plist"
	hostFile   = "/Users/alice/Library/Preferences/ByHost/com.apple.screensaver." + macfake.HostUUID + ".plist"
	loginFile  = "/Library/Preferences/com.apple.loginwindow.plist"
)

// seedMac gives alice a Dock (binary, as macOS writes it, with a real
// tilesize) and global preferences in XML.
func seedMac(r *rig) {
	r.seed(dockFile, map[string]any{
		"autohide":        false,
		"tilesize":        float64(48),
		"persistent-apps": []any{map[string]any{"tile-type": "file-tile"}},
	}, plist.BinaryFormat)
	r.seed(globalFile, map[string]any{"KeyRepeat": int64(6)}, plist.XMLFormat)
}

func firstConfig(r *rig) *prefs.Config {
	return r.config(
		map[string]any{
			"com.apple.dock": map[string]any{"autohide": true, "tilesize": int64(48), "orientation": "left"},
			"NSGlobalDomain": map[string]any{"KeyRepeat": int64(2), "AppleInterfaceStyle": "Dark"},
		},
		map[string]any{"com.apple.screensaver": map[string]any{"idleTime": int64(600)}},
		map[string]any{"com.apple.loginwindow": map[string]any{"GuestEnabled": false}},
	)
}

func TestSwitchWritesWhatDiffersAndRestartsWhatReadsIt(t *testing.T) {
	r := newRig(t)
	seedMac(r)
	p := r.switchTo(firstConfig(r))
	want := []string{
		`create defaults:alice:NSGlobalDomain:AppleInterfaceStyle:  -> "Dark"`,
		`update defaults:alice:NSGlobalDomain:KeyRepeat: 6 -> 2`,
		`update defaults:alice:com.apple.dock:autohide: false -> true`,
		`create defaults:alice:com.apple.dock:orientation:  -> "left"`,
		// A live <real>48</real> is the wanted 48: adopted, not written.
		`update defaults:alice:com.apple.dock:tilesize:  -> 48`,
		`create host-defaults:alice:com.apple.screensaver:idleTime:  -> 600`,
		`create system-defaults:com.apple.loginwindow:GuestEnabled:  -> false`,
	}
	if got := shown(p); !slices.Equal(got, want) {
		t.Fatalf("plan:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	log := r.log()
	wantWrites := []string{
		`write -g AppleInterfaceStyle '<string>Dark</string>'`,
		`write -g KeyRepeat '<integer>2</integer>'`,
		`write com.apple.dock autohide '<true/>'`,
		`write com.apple.dock orientation '<string>left</string>'`,
		`-currentHost write com.apple.screensaver idleTime '<integer>600</integer>'`,
		`write /Library/Preferences/com.apple.loginwindow GuestEnabled '<false/>'`,
	}
	if got := writes(log); !sameSet(got, wantWrites) {
		t.Fatalf("writes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantWrites, "\n"))
	}
	for _, l := range log {
		if strings.Contains(l, "write com.apple.dock") && !strings.HasPrefix(l, "[alice] /bin/launchctl asuser 501 /usr/bin/sudo -u alice -- /usr/bin/defaults") {
			t.Errorf("user preference not written from alice's session: %s", l)
		}
		if strings.Contains(l, "/Library/Preferences/com.apple.loginwindow") && !strings.HasPrefix(l, "[root] /usr/bin/defaults") {
			t.Errorf("system preference not written as root: %s", l)
		}
	}
	if got := restarts(log); !slices.Equal(got, []string{"[alice] killall Dock", "[alice] activateSettings -u"}) {
		t.Errorf("restarts = %q, want the Dock only, then activateSettings", got)
	}

	dock, format := r.read(dockFile)
	if format != plist.BinaryFormat {
		t.Errorf("the Dock's plist is %s now, want binary as macOS writes it", plist.FormatNames[format])
	}
	if dock["autohide"] != true || dock["orientation"] != "left" || dock["tilesize"] != float64(48) || dock["persistent-apps"] == nil {
		t.Errorf("dock = %v: want autohide, orientation changed and tilesize (a real 48, equal to 48) and persistent-apps untouched", dock)
	}
	if host, _ := r.read(hostFile); host["idleTime"] != int64(600) {
		t.Errorf("ByHost screensaver = %v", host)
	}
	if lw, _ := r.read(loginFile); lw["GuestEnabled"] != false {
		t.Errorf("loginwindow = %v", lw)
	}

	if again := r.plan(firstConfig(r)); !again.Empty() {
		t.Fatalf("second plan not empty: %v", shown(again))
	}
}

func TestRemovingKeysRestoresTheirOriginals(t *testing.T) {
	r := newRig(t)
	seedMac(r)
	r.switchTo(firstConfig(r))
	r.log()

	// Only the Dock's autohide stays.
	p := r.switchTo(r.config(map[string]any{"com.apple.dock": map[string]any{"autohide": true}}, nil, nil))
	want := []string{
		`restore defaults:alice:NSGlobalDomain:AppleInterfaceStyle: "Dark" -> (absent)`,
		`restore defaults:alice:NSGlobalDomain:KeyRepeat: 2 -> 6`,
		`restore defaults:alice:com.apple.dock:orientation: "left" -> (absent)`,
		// Adopted as it was: nothing to put back.
		`restore defaults:alice:com.apple.dock:tilesize: 48.0 -> `,
		`restore host-defaults:alice:com.apple.screensaver:idleTime: 600 -> (absent)`,
		`restore system-defaults:com.apple.loginwindow:GuestEnabled: false -> (absent)`,
	}
	if got := shown(p); !sameSet(got, want) {
		t.Fatalf("plan:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	log := r.log()
	if got := writes(log); !sameSet(got, []string{
		"delete -g AppleInterfaceStyle", `write -g KeyRepeat '<integer>6</integer>'`,
		"delete com.apple.dock orientation", "-currentHost delete com.apple.screensaver idleTime",
		"delete /Library/Preferences/com.apple.loginwindow GuestEnabled",
	}) {
		t.Fatalf("writes: %q", got)
	}
	dock, _ := r.read(dockFile)
	if _, ok := dock["orientation"]; ok || dock["autohide"] != true {
		t.Errorf("dock = %v", dock)
	}
	if g, _ := r.read(globalFile); !reflect.DeepEqual(g, map[string]any{"KeyRepeat": int64(6)}) {
		t.Errorf("global = %v, want KeyRepeat 6 back and nothing else", g)
	}

	// Letting go of the last key: autohide goes back to false.
	r.switchTo(r.config(nil, nil, nil))
	if dock, _ := r.read(dockFile); dock["autohide"] != false {
		t.Errorf("autohide = %v, want false back", dock["autohide"])
	}
	if p := r.plan(r.config(nil, nil, nil)); !p.Empty() {
		t.Fatalf("plan after letting go: %v", shown(p))
	}
}

func TestRollbackRestoresThePreviousValuesAndTheOriginals(t *testing.T) {
	r := newRig(t)
	seedMac(r)
	before := snapshotPrefs(r)
	r.switchTo(r.config(map[string]any{"com.apple.dock": map[string]any{"autohide": true, "tilesize": int64(36)}}, nil, nil)) // 1
	gen1 := snapshotPrefs(r)
	r.switchTo(r.config(map[string]any{
		"com.apple.dock":   map[string]any{"tilesize": int64(64), "mineffect": "scale"},
		"com.apple.finder": map[string]any{"ShowPathbar": true},
	}, nil, nil)) // 2
	r.log()

	if err := r.apply(r.rollbackPlan(1), 1); err != nil {
		t.Fatal(err)
	}
	if got := snapshotPrefs(r); !reflect.DeepEqual(got, gen1) {
		t.Fatalf("after rollback to 1:\n%v\nwant:\n%v", got, gen1)
	}
	if got := restarts(r.log()); !slices.Equal(got, []string{"[alice] killall Dock", "[alice] killall Finder", "[alice] activateSettings -u"}) {
		t.Errorf("restarts = %q", got)
	}
	// The originals travel with the records: letting go of everything
	// now gives back the Mac as it was before gocfg.
	r.switchTo(r.config(nil, nil, nil))
	if got := snapshotPrefs(r); !reflect.DeepEqual(got, before) {
		t.Fatalf("after letting go:\n%v\nwant:\n%v", got, before)
	}
}

func TestKeysChangedByHandAreReportedAndNotRestored(t *testing.T) {
	r := newRig(t)
	seedMac(r)
	r.switchTo(r.config(map[string]any{"com.apple.dock": map[string]any{"autohide": true, "tilesize": int64(36)}}, nil, nil))
	dock, _ := r.read(dockFile)
	dock["tilesize"] = int64(70)
	r.seed(dockFile, dock, plist.BinaryFormat)

	p := r.plan(r.config(map[string]any{"com.apple.dock": map[string]any{"autohide": true, "tilesize": int64(36)}}, nil, nil))
	if len(p.Shown()) != 1 || p.Shown()[0].Drift != "changed outside gocfg since it wrote 36" {
		t.Fatalf("drift: %+v", p.Shown())
	}
	p = r.plan(r.config(map[string]any{"com.apple.dock": map[string]any{"autohide": true}}, nil, nil))
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "tilesize: changed by hand to 70 since gocfg wrote 36; left alone") {
		t.Fatalf("warnings: %q", p.Warnings)
	}
	if err := r.apply(p, 0); err != nil {
		t.Fatal(err)
	}
	if dock, _ := r.read(dockFile); dock["tilesize"] != int64(70) {
		t.Errorf("tilesize = %v, want the hand-set 70 kept", dock["tilesize"])
	}
	if p := r.plan(r.config(map[string]any{"com.apple.dock": map[string]any{"autohide": true}}, nil, nil)); !p.Empty() {
		t.Fatalf("plan after forgetting: %v", shown(p))
	}
}

func TestAFailedSwitchPutsEveryKeyBack(t *testing.T) {
	r := newRig(t)
	seedMac(r)
	r.seed(finderFile, map[string]any{"ShowPathbar": false}, plist.BinaryFormat)
	before := snapshotPrefs(r)
	p := r.plan(r.config(map[string]any{
		"com.apple.dock":   map[string]any{"autohide": true},
		"com.apple.finder": map[string]any{"ShowPathbar": true},
	}, nil, nil))
	// Finder's preferences are damaged after the plan: its write fails
	// once the Dock's is done.
	r.copyIn(finderFile, []byte("not a plist"))
	err := r.apply(p, 0)
	if err == nil || !strings.Contains(err.Error(), "com.apple.finder.plist: not a property list") {
		t.Fatalf("err = %v", err)
	}
	r.seed(finderFile, map[string]any{"ShowPathbar": false}, plist.BinaryFormat)
	if r.current() != 0 {
		t.Fatalf("generation %d current after a failed switch", r.current())
	}
	after := snapshotPrefs(r)
	delete(before, finderFile)
	delete(after, finderFile)
	if !reflect.DeepEqual(after, before) {
		t.Fatalf("after the undo:\n%v\nwant:\n%v", after, before)
	}
	// The checkpoint's undo refreshes everything the switch was to
	// touch, once the Dock's value is back.
	if got := restarts(r.log()); !slices.Equal(got, []string{"[alice] killall Dock", "[alice] killall Finder", "[alice] activateSettings -u"}) {
		t.Errorf("restarts = %q", got)
	}
}

func TestOfflineWritesThePlistFilesAndRunsNothing(t *testing.T) {
	r := newRig(t)
	r.offline = true
	seedMac(r)
	// A ByHost file already there names the hardware UUID.
	r.seed("/Users/alice/Library/Preferences/ByHost/.GlobalPreferences."+macfake.HostUUID+".plist", map[string]any{"x": true}, plist.BinaryFormat)
	r.switchTo(firstConfig(r))
	if log := r.log(); len(log) != 0 {
		t.Fatalf("offline switch ran commands: %q", log)
	}
	if g, format := r.read(globalFile); g["AppleInterfaceStyle"] != "Dark" || g["KeyRepeat"] != int64(2) || format != plist.BinaryFormat {
		t.Errorf("global = %v (%s)", g, plist.FormatNames[format])
	}
	if h, _ := r.read(hostFile); h["idleTime"] != int64(600) {
		t.Errorf("ByHost = %v", h)
	}
	if lw, _ := r.read(loginFile); lw["GuestEnabled"] != false {
		t.Errorf("loginwindow = %v", lw)
	}
	fi, err := os.Stat(r.file(globalFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("global preferences mode: %v %v, want 0600", fi.Mode(), err)
	}
	if p := r.plan(firstConfig(r)); !p.Empty() {
		t.Fatalf("second offline plan: %v", shown(p))
	}
}

func TestOfflineWithoutByHostFilesSkipsCurrentHost(t *testing.T) {
	r := newRig(t)
	r.offline = true
	p := r.plan(firstConfig(r))
	if len(p.Notes) != 1 || !strings.Contains(p.Notes[0], "no ByHost preferences to take the hardware UUID from") {
		t.Fatalf("notes = %q", p.Notes)
	}
	for _, c := range p.Changes {
		if strings.HasPrefix(c.ID, "host-defaults:") {
			t.Errorf("planned %s", c.ID)
		}
	}
}

func TestRunAsTheUserWritesDirectlyAndSkipsSystemDomains(t *testing.T) {
	r := newRig(t)
	seedMac(r)
	l := r.layout()
	l.Privileged, l.User = false, "alice"
	r.fake.Self = "alice"
	p, err := platform.MakePlan(context.Background(), nil, &prefs.Provider{Machine: l, Config: firstConfig(r)})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Notes) != 1 || !strings.Contains(p.Notes[0], "macos.system_defaults: writing /Library/Preferences needs root") {
		t.Fatalf("notes = %q", p.Notes)
	}
	if err := r.apply(p, 0); err != nil {
		t.Fatal(err)
	}
	for _, l := range r.log() {
		if strings.Contains(l, "asuser") || strings.Contains(l, "loginwindow") {
			t.Errorf("ran %s", l)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name        string
		user        string
		prefs, sys  map[string]any
		wantMessage string
	}{
		{"no primary user", "root", map[string]any{"com.apple.dock": map[string]any{"autohide": true}}, nil,
			"macos.primary_user: macos.defaults sets preferences of \"com.apple.dock\", but there is no primary user"},
		{"system domains need none", "", nil, map[string]any{"com.apple.loginwindow": map[string]any{"GuestEnabled": false}}, ""},
		{"a domain that is a path", "alice", map[string]any{"../x": map[string]any{"a": true}}, nil,
			"macos.defaults.\"../x\": not a preferences domain name"},
		{"null in an array", "alice", map[string]any{"com.apple.dock": map[string]any{"persistent-apps": []any{"a", nil}}}, nil,
			"macos.defaults.\"com.apple.dock\".\"persistent-apps\": [1]: a plist array cannot hold null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := prefs.NewConfig(tt.user, anyOrNil(tt.prefs), nil, anyOrNil(tt.sys))
			if tt.wantMessage == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantMessage) {
				t.Fatalf("err = %v\nwant %s", err, tt.wantMessage)
			}
		})
	}
}

// restarts lists the killall and activateSettings commands of a log, as
// "[user] name args".
func restarts(log []string) []string {
	var out []string
	for _, l := range log {
		user, cmd, _ := strings.Cut(l, " ")
		for _, p := range []string{"/usr/bin/killall ", "/Resources/activateSettings "} {
			if _, rest, ok := strings.Cut(cmd, p); ok {
				name := strings.TrimSuffix(strings.TrimPrefix(p, "/usr/bin/"), " ")
				name = strings.TrimPrefix(name, "/Resources/")
				out = append(out, user+" "+name+" "+rest)
			}
		}
	}
	return out
}

// snapshotPrefs reads every preferences file of the fake Mac.
func snapshotPrefs(r *rig) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, p := range []string{dockFile, finderFile, globalFile, hostFile, loginFile} {
		if _, err := os.Stat(r.file(p)); err != nil {
			continue
		}
		// An empty domain is no domain (macOS leaves the file).
		if m, _ := r.read(p); len(m) > 0 {
			out[p] = m
		}
	}
	return out
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestConfigErrorsFirstInKeyOrder: of several bad domains or keys, the
// error names the first by name, in every run (it named one in map
// order).
func TestConfigErrorsFirstInKeyOrder(t *testing.T) {
	null := []any{nil}
	for _, tt := range []struct {
		name, user  string
		prefs       map[string]any
		wantMessage string
	}{
		{"no primary user", "root", map[string]any{"com.d": map[string]any{"a": true}, "com.b": map[string]any{"a": true}, "com.c": map[string]any{"a": true}},
			`macos.primary_user: macos.defaults sets preferences of "com.b"`},
		{"domain names", "alice", map[string]any{"../z": map[string]any{"a": true}, "../x": map[string]any{"a": true}, "../y": map[string]any{"a": true}},
			`macos.defaults."../x": not a preferences domain name`},
		{"keys", "alice", map[string]any{"com.apple.dock": map[string]any{"z": null, "x": null, "y": null}},
			`macos.defaults."com.apple.dock"."x": [0]`},
		{"members", "alice", map[string]any{"com.apple.dock": map[string]any{"k": map[string]any{"z": null, "x": null, "y": null}}},
			`macos.defaults."com.apple.dock"."k": .x: [0]`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for range 20 {
				_, err := prefs.NewConfig(tt.user, tt.prefs, nil, nil)
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantMessage) {
					t.Fatalf("err = %v\nwant %s", err, tt.wantMessage)
				}
			}
		})
	}
}
