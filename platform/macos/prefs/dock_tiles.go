package prefs

import "strings"

// dockTileKeys are the com.apple.dock keys whose values are lists of Dock
// tiles.
var dockTileKeys = map[string]bool{"persistent-apps": true, "persistent-others": true}

// Holds reports whether the live value of key in domain is the value
// gocfg wants there. It is Equal, but for the Dock's tile lists: once the
// Dock has read a tile gocfg wrote, it rewrites it with keys of its own
// (GUID, tile-data's file-label, file-type, book, bundle-identifier,
// file-mod-date…) and a folder's URL with a slash at its end
// ("file:///Applications/Safari.app/"). Compared whole, every switch
// would find the Dock changed and write it again (and restart it), and
// status would report it drifted for ever. A tile holds when its
// tile-type is the wanted one and so is its URL, but for that last
// slash; the keys the Dock adds are not compared, nor is a key of the
// wanted tile that the live one lacks but the URL and the type.
func Holds(domain, key string, live, want any) bool {
	if domain != "com.apple.dock" || !dockTileKeys[key] {
		return Equal(live, want)
	}
	l, ok := live.([]any)
	w, ok2 := want.([]any)
	if !ok || !ok2 || len(l) != len(w) {
		return Equal(live, want)
	}
	for i := range w {
		if !tileHolds(l[i], w[i]) {
			return false
		}
	}
	return true
}

// tileHolds compares one Dock tile, as Holds says.
func tileHolds(live, want any) bool {
	w, ok := want.(map[string]any)
	if !ok {
		return Equal(live, want)
	}
	l, ok := live.(map[string]any)
	if !ok {
		return false
	}
	if !Equal(l["tile-type"], w["tile-type"]) {
		return false
	}
	wu, wok := tileURL(w)
	lu, lok := tileURL(l)
	if !wok {
		return Equal(l["tile-data"], w["tile-data"])
	}
	return lok && strings.TrimSuffix(lu, "/") == strings.TrimSuffix(wu, "/")
}

// tileURL returns a tile's tile-data.file-data._CFURLString.
func tileURL(tile map[string]any) (string, bool) {
	data, _ := tile["tile-data"].(map[string]any)
	file, _ := data["file-data"].(map[string]any)
	u, ok := file["_CFURLString"].(string)
	return u, ok
}
