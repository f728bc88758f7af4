package macfake

import (
	"context"
	"encoding/hex"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/macos/prefs"
	"howett.net/plist"
)

// HostUUID is the fake Mac's hardware UUID: its ByHost files are named
// <domain>.<HostUUID>.plist.
const HostUUID = "5E1C7A2B-90D4-4F6E-8B3A-2C4D6E8F0A1B"

func init() { register("defaults", runDefaults) }

// runDefaults answers `defaults [-currentHost] export|write|delete`
// from the plist files of the user it runs as, like cfprefsd: binary
// files under ~/Library/Preferences, ByHost for -currentHost, and a
// domain given as a path (/Library/Preferences/x) for system ones.
func runDefaults(ctx context.Context, f *Fake, c Call) ([]byte, int) {
	args := c.Args
	scope := prefs.ScopeUser
	if len(args) > 0 && args[0] == "-currentHost" {
		scope, args = prefs.ScopeHost, args[1:]
	}
	if len(args) < 2 {
		return failf("defaults: usage: defaults [-currentHost] export|write|delete <domain> ...")
	}
	verb, dom := args[0], args[1]
	args = args[2:]
	d := prefs.Domain{Scope: scope, User: c.User, Name: dom}
	switch {
	case dom == "-g" || dom == "-globalDomain" || dom == prefs.GlobalDomain:
		d.Name = prefs.GlobalDomain
	case strings.HasPrefix(dom, "/"):
		if path.Dir(dom) != "/Library/Preferences" || scope == prefs.ScopeHost {
			return failf("macfake: defaults on the file %s is not faked (only /Library/Preferences/<domain>)", dom)
		}
		if c.User != "root" {
			return failf("Could not write domain %s; exiting", dom)
		}
		d = prefs.Domain{Scope: prefs.ScopeSystem, Name: strings.TrimSuffix(path.Base(dom), ".plist")}
		if d.Name == ".GlobalPreferences" {
			d.Name = prefs.GlobalDomain
		}
	}
	u, ok, err := f.user(c.User)
	if err != nil {
		return failf("%v", err)
	}
	if !ok {
		return failf("macfake: defaults run as %s, who has no account", c.User)
	}
	store := &prefs.Files{Sys: f.System, User: macos.User{Name: u.Name, UID: u.UID, GID: u.GID, Home: u.Home}, HostUUID: HostUUID}
	switch verb {
	case "export":
		if len(args) != 1 || args[0] != "-" {
			return failf("macfake: defaults export: only export to - (stdout) is faked")
		}
		m, err := store.Export(ctx, d)
		if err != nil {
			return failf("%v", err)
		}
		out, err := plist.MarshalIndent(m, plist.XMLFormat, "\t")
		if err != nil {
			return failf("%v", err)
		}
		return append(out, '\n'), 0
	case "write":
		if len(args) < 2 {
			return failf("defaults write: a key and a value are needed")
		}
		key := args[0]
		cur, err := store.Export(ctx, d)
		if err != nil {
			return failf("%v", err)
		}
		v, err := writeValue(cur[key], args[1:])
		if err != nil {
			return failf("%v", err)
		}
		if err := store.Write(ctx, d, key, v); err != nil {
			return failf("%v", err)
		}
		return nil, 0
	case "delete":
		m, err := store.Export(ctx, d)
		if err != nil {
			return failf("%v", err)
		}
		if len(args) == 0 {
			if len(m) == 0 {
				return failf("Domain (%s) not found.\nDefaults have not been changed.", dom)
			}
			for k := range m {
				if err := store.Delete(ctx, d, k); err != nil {
					return failf("%v", err)
				}
			}
			return nil, 0
		}
		if _, ok := m[args[0]]; !ok {
			return failf("Key %s does not exist in domain %s; leaving defaults unchanged", args[0], dom)
		}
		if err := store.Delete(ctx, d, args[0]); err != nil {
			return failf("%v", err)
		}
		return nil, 0
	}
	return failf("macfake: defaults %s is not faked", verb)
}

// writeValue reads the value arguments of `defaults write`: a type flag
// and its values, or one untyped value (a plist in XML or old-style text,
// else a string). cur is the key's current value, for -array-add and
// -dict-add.
func writeValue(cur any, args []string) (any, error) {
	flag := args[0]
	if !strings.HasPrefix(flag, "-") || len(flag) < 2 {
		if len(args) != 1 {
			return nil, fmt.Errorf("defaults write: one untyped value, got %d", len(args))
		}
		return untyped(args[0])
	}
	vals := args[1:]
	one := func() (string, error) {
		if len(vals) != 1 {
			return "", fmt.Errorf("defaults write %s: one value, got %d", flag, len(vals))
		}
		return vals[0], nil
	}
	switch flag {
	case "-string":
		return one()
	case "-int", "-integer":
		s, err := one()
		if err != nil {
			return nil, err
		}
		return strconv.ParseInt(s, 10, 64)
	case "-float", "-real":
		s, err := one()
		if err != nil {
			return nil, err
		}
		return strconv.ParseFloat(s, 64)
	case "-bool", "-boolean":
		s, err := one()
		if err != nil {
			return nil, err
		}
		switch strings.ToLower(s) {
		case "true", "yes", "1":
			return true, nil
		case "false", "no", "0":
			return false, nil
		}
		return nil, fmt.Errorf("defaults write -bool: %q is not a boolean", s)
	case "-date":
		s, err := one()
		if err != nil {
			return nil, err
		}
		return time.Parse(time.RFC3339, s)
	case "-data":
		s, err := one()
		if err != nil {
			return nil, err
		}
		return hex.DecodeString(s)
	case "-array", "-array-add":
		out := []any{}
		if old, ok := cur.([]any); ok && flag == "-array-add" {
			out = append(out, old...)
		}
		for _, s := range vals {
			v, err := untyped(s)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case "-dict", "-dict-add":
		if len(vals)%2 != 0 {
			return nil, fmt.Errorf("defaults write %s: keys and values come in pairs", flag)
		}
		out := map[string]any{}
		if old, ok := cur.(map[string]any); ok && flag == "-dict-add" {
			for k, v := range old {
				out[k] = v
			}
		}
		for i := 0; i < len(vals); i += 2 {
			v, err := untyped(vals[i+1])
			if err != nil {
				return nil, err
			}
			out[vals[i]] = v
		}
		return out, nil
	}
	return nil, fmt.Errorf("defaults write: type %s is not faked", flag)
}

// untyped reads a value given without a type flag: XML plist (a whole
// document or a fragment such as <integer>1</integer>), an old-style
// array or dict, else the string itself.
func untyped(s string) (any, error) {
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "<") {
		if !strings.Contains(t, "<plist") {
			t = `<plist version="1.0">` + t + `</plist>`
		}
		var v any
		if _, err := plist.Unmarshal([]byte(t), &v); err != nil {
			//lint:ignore ST1005 the real defaults' own message
			return nil, fmt.Errorf("Could not parse: %s.  Try single-quoting it.", s)
		}
		return prefs.Normalize(v), nil
	}
	if strings.HasPrefix(t, "(") || strings.HasPrefix(t, "{") {
		var v any
		if _, err := plist.Unmarshal([]byte(t), &v); err == nil {
			return prefs.Normalize(v), nil
		}
	}
	return s, nil
}
