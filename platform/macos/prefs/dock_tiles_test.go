package prefs_test

import (
	"testing"

	"github.com/gocfg/gocfg/platform/macos/prefs"
	"howett.net/plist"
)

// tile is a Dock tile as gocfg's macos.dock options write it.
func tile(kind, url string) map[string]any {
	return map[string]any{"tile-type": kind, "tile-data": map[string]any{"file-data": map[string]any{"_CFURLString": url, "_CFURLStringType": int64(15)}}}
}

// decorated is the tile as the Dock rewrites it once it has read it:
// a GUID, the keys it adds to tile-data and a folder URL ending in "/".
func decorated(kind, url string, guid int64) map[string]any {
	t := tile(kind, url)
	t["GUID"] = guid
	data := t["tile-data"].(map[string]any)
	data["file-label"] = "Safari"
	data["file-type"] = int64(41)
	data["bundle-identifier"] = "com.apple.Safari"
	data["book"] = []byte{1, 2, 3}
	data["dock-extra"] = false
	return t
}

func TestHoldsDockTiles(t *testing.T) {
	want := []any{tile("file-tile", "file:///Applications/Safari.app"), tile("directory-tile", "file:///Users/alice/Downloads")}
	for _, tc := range []struct {
		name   string
		domain string
		key    string
		live   any
		holds  bool
	}{
		{"as written", "com.apple.dock", "persistent-apps", []any{tile("file-tile", "file:///Applications/Safari.app"), tile("directory-tile", "file:///Users/alice/Downloads")}, true},
		{"decorated by the Dock", "com.apple.dock", "persistent-apps", []any{decorated("file-tile", "file:///Applications/Safari.app/", 1), decorated("directory-tile", "file:///Users/alice/Downloads/", 2)}, true},
		{"other tiles", "com.apple.dock", "persistent-others", []any{decorated("file-tile", "file:///Applications/Mail.app/", 1), decorated("directory-tile", "file:///Users/alice/Downloads/", 2)}, false},
		{"another order", "com.apple.dock", "persistent-apps", []any{decorated("directory-tile", "file:///Users/alice/Downloads/", 2), decorated("file-tile", "file:///Applications/Safari.app/", 1)}, false},
		{"another tile type", "com.apple.dock", "persistent-apps", []any{decorated("directory-tile", "file:///Applications/Safari.app/", 1), decorated("directory-tile", "file:///Users/alice/Downloads/", 2)}, false},
		{"one tile fewer", "com.apple.dock", "persistent-apps", []any{decorated("file-tile", "file:///Applications/Safari.app/", 1)}, false},
		{"a tile without a URL", "com.apple.dock", "persistent-apps", []any{map[string]any{"tile-type": "file-tile", "tile-data": map[string]any{}}, decorated("directory-tile", "file:///Users/alice/Downloads/", 2)}, false},
		// Any other key is compared whole.
		{"not a tile list", "com.apple.dock", "other-list", []any{decorated("file-tile", "file:///Applications/Safari.app/", 1), decorated("directory-tile", "file:///Users/alice/Downloads/", 2)}, false},
		{"another domain", "com.example.dock", "persistent-apps", []any{decorated("file-tile", "file:///Applications/Safari.app/", 1), decorated("directory-tile", "file:///Users/alice/Downloads/", 2)}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := prefs.Holds(tc.domain, tc.key, tc.live, want); got != tc.holds {
				t.Errorf("Holds = %v, want %v", got, tc.holds)
			}
		})
	}
}

// TestDockTilesDecoratedNoDrift: once the Dock has rewritten the tiles
// gocfg wrote (as it does when it reads them), the next plan is empty
// and reports no drift; before, every switch wrote the tiles again and
// restarted the Dock. A tile changed for another app is still found.
func TestDockTilesDecoratedNoDrift(t *testing.T) {
	r := newRig(t)
	seedMac(r)
	cfg := func() *prefs.Config {
		return r.config(map[string]any{"com.apple.dock": map[string]any{"persistent-apps": []any{tile("file-tile", "file:///Applications/Safari.app")}}}, nil, nil)
	}
	r.switchTo(cfg())
	dock, _ := r.read(dockFile)
	dock["persistent-apps"] = []any{decorated("file-tile", "file:///Applications/Safari.app/", 7)}
	r.seed(dockFile, dock, plist.BinaryFormat)
	r.log()
	if p := r.plan(cfg()); !p.Empty() {
		t.Fatalf("plan after the Dock decorated its tile: %v", shown(p))
	}

	dock["persistent-apps"] = []any{decorated("file-tile", "file:///Applications/Mail.app/", 7)}
	r.seed(dockFile, dock, plist.BinaryFormat)
	p := r.plan(cfg())
	if len(p.Shown()) != 1 || p.Shown()[0].Drift == "" {
		t.Fatalf("a tile changed to another app: %+v, want one change with its drift", p.Shown())
	}
}
