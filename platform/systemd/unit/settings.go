package unit

import (
	"bytes"
	"fmt"
	"strings"

	json "github.com/goccy/go-json"
)

// sep joins the values of a key that has several in Settings. No value
// of a unit file can hold it (checkValue refuses a NUL byte), so it
// cannot be confused with a character of a value.
const sep = "\x00"

// Settings are the extra keys of one section of a unit, the value of
// unit_config, service_config, timer_config or install_config: each key
// and its values, written one Key=value line each, in order. A key with
// one value maps to it as it is, so Settings{"Nice": "10"} is Nice=10; a
// key with several (a list in the configuration) maps to them joined by
// a NUL byte, which Values splits again.
//
// Decoded from JSON, a key's value is a string (as it is), a number (its
// JSON text, which is how gocfg prints it: 5, 1.5), true or false
// (written "true" and "false", as NixOS's systemd units write them),
// null (the key is left out) or a list of these (null items left out).
// An object, a list with a list or an object in it (ErrSettingValue), or
// a string with a NUL byte (ErrValue) is an error, naming the key: the
// configuration's asserts refuse the first two at their line before a
// provider reads them.
type Settings map[string]string

// Values returns the values of key, in order: nil when it has none.
func (s Settings) Values(key string) []string {
	v, ok := s[key]
	if !ok {
		return nil
	}
	return strings.Split(v, sep)
}

// Last returns the last non-empty value of key, "" when it has none:
// for a setting that takes one value, the one systemd uses, since it
// takes the last assignment (empty values are not written).
func (s Settings) Last(key string) string {
	vs := s.Values(key)
	for i := len(vs) - 1; i >= 0; i-- {
		if vs[i] != "" {
			return vs[i]
		}
	}
	return ""
}

// has reports whether key has a non-empty value, one that is written.
func (s Settings) has(key string) bool { return s.Last(key) != "" }

// UnmarshalJSON reads an object of keys and values as the type
// documentation says.
func (s *Settings) UnmarshalJSON(data []byte) error {
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	m := make(Settings, len(raw))
	for k, r := range raw {
		var vs []string
		if r = bytes.TrimSpace(r); len(r) > 0 && r[0] == '[' {
			var items []json.RawMessage
			if err := json.Unmarshal(r, &items); err != nil {
				return fmt.Errorf("key %s: %w", k, err)
			}
			for _, item := range items {
				v, ok, err := settingValue(bytes.TrimSpace(item))
				if err != nil {
					return fmt.Errorf("key %s: %w", k, err)
				}
				if ok {
					vs = append(vs, v)
				}
			}
		} else {
			v, ok, err := settingValue(r)
			if err != nil {
				return fmt.Errorf("key %s: %w", k, err)
			}
			if ok {
				vs = append(vs, v)
			}
		}
		if len(vs) > 0 {
			m[k] = strings.Join(vs, sep)
		}
	}
	*s = m
	return nil
}

// settingValue is the text of one JSON scalar of Settings; false for
// null.
func settingValue(r json.RawMessage) (string, bool, error) {
	if len(r) == 0 {
		return "", false, ErrSettingValue
	}
	switch r[0] {
	case 'n':
		return "", false, nil
	case 't', 'f':
		var b bool
		if err := json.Unmarshal(r, &b); err != nil {
			return "", false, err
		}
		return fmt.Sprint(b), true, nil
	case '"':
		var v string
		if err := json.Unmarshal(r, &v); err != nil {
			return "", false, err
		}
		if strings.Contains(v, sep) {
			return "", false, ErrValue
		}
		return v, true, nil
	case '[', '{':
		return "", false, ErrSettingValue
	}
	var n json.Number
	if err := json.Unmarshal(r, &n); err != nil {
		return "", false, err
	}
	return string(r), true, nil
}
