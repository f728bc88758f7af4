package names

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"howett.net/plist"

	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/system"
)

// The names scutil manages, as `scutil --get/--set` spells them.
const (
	HostName      = "HostName"
	ComputerName  = "ComputerName"
	LocalHostName = "LocalHostName"
)

// keys lists the names in plan order.
var keys = []string{HostName, ComputerName, LocalHostName}

// options are the options that set each name.
var options = map[string]string{
	HostName:      "networking.host_name",
	ComputerName:  "networking.computer_name",
	LocalHostName: "networking.local_host_name",
}

// PrefsFile is where scutil keeps the names; under --root gocfg reads and
// writes it directly.
const PrefsFile = "/Library/Preferences/SystemConfiguration/preferences.plist"

// prefsPath is where each name lives in PrefsFile.
var prefsPath = map[string][]string{
	HostName:      {"System", "System", "HostName"},
	ComputerName:  {"System", "System", "ComputerName"},
	LocalHostName: {"System", "Network", "HostNames", "LocalHostName"},
}

// utf8Encoding is kCFStringEncodingUTF8, the ComputerNameEncoding
// SCPreferencesSetComputerName records with a UTF-8 name.
const utf8Encoding = 0x08000100

// get reads a name: with `scutil --get` on a live Mac, from PrefsFile in
// an offline tree. nil means not set.
func get(ctx context.Context, sys system.System, key string, offline bool) (*string, error) {
	if offline {
		return offlineGet(sys, key)
	}
	out, err := sys.Run(ctx, macos.Query(macos.Scutil, "--get", key))
	if err != nil {
		if bytes.Contains(out, []byte(key+": not set")) {
			return nil, nil
		}
		return nil, fmt.Errorf("read the %s (scutil --get %s): %w", key, key, err)
	}
	v := strings.TrimRight(string(out), "\r\n")
	if v == "" {
		return nil, nil
	}
	return &v, nil
}

// set sets a name (nil: removes it): `scutil --set <Name> <value>`, where
// an empty value removes the name, or PrefsFile in an offline tree.
func set(ctx context.Context, sys system.System, key string, value *string, offline bool) error {
	if offline {
		return offlineSet(sys, key, value)
	}
	v := ""
	if value != nil {
		v = *value
	}
	if _, err := sys.Run(ctx, macos.Command(macos.Scutil, "--set", key, v)); err != nil {
		return fmt.Errorf("set the %s (scutil --set %s): %w", key, key, err)
	}
	return nil
}

// readPrefs decodes PrefsFile (XML or binary) and says its format; a
// missing file is an empty one, written as XML.
func readPrefs(sys system.System) (map[string]any, int, error) {
	data, err := sys.ReadFile(PrefsFile)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]any{}, plist.XMLFormat, nil
	}
	if err != nil {
		return nil, 0, err
	}
	var m map[string]any
	format, err := plist.Unmarshal(data, &m)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", PrefsFile, err)
	}
	if m == nil {
		m = map[string]any{}
	}
	return m, format, nil
}

func offlineGet(sys system.System, key string) (*string, error) {
	m, _, err := readPrefs(sys)
	if err != nil {
		return nil, err
	}
	p := prefsPath[key]
	for _, k := range p[:len(p)-1] {
		if m, _ = m[k].(map[string]any); m == nil {
			return nil, nil
		}
	}
	if v, ok := m[p[len(p)-1]].(string); ok && v != "" {
		return &v, nil
	}
	return nil, nil
}

func offlineSet(sys system.System, key string, value *string) error {
	root, format, err := readPrefs(sys)
	if err != nil {
		return err
	}
	p := prefsPath[key]
	m := root
	for _, k := range p[:len(p)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			if value == nil {
				return nil // nothing to remove
			}
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	leaf := p[len(p)-1]
	if value == nil {
		delete(m, leaf)
		if key == ComputerName {
			delete(m, "ComputerNameEncoding")
		}
	} else {
		m[leaf] = *value
		if key == ComputerName {
			m["ComputerNameEncoding"] = uint64(utf8Encoding)
		}
	}
	data, err := plist.MarshalIndent(root, format, "\t")
	if err != nil {
		return fmt.Errorf("%s: %w", PrefsFile, err)
	}
	if err := sys.MkdirAll(path.Dir(PrefsFile), 0o755); err != nil {
		return err
	}
	return sys.WriteFile(PrefsFile, data, 0o644)
}
