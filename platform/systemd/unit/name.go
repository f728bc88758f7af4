package unit

import (
	"fmt"
	"strings"
)

// maxNameLen is the longest unit name systemd accepts (UNIT_NAME_MAX
// less its NUL).
const maxNameLen = 255

// unitTypes are systemd's unit types, the suffixes a unit name ends in.
var unitTypes = []string{
	".service", ".socket", ".device", ".mount", ".automount", ".swap",
	".target", ".path", ".timer", ".slice", ".scope",
}

// ServiceName is the unit name of the service configured as
// `systemd.services.<key>`: key + ".service", unless key already ends in
// a unit type's suffix (".service", ".timer", ...), which is kept as it is
// so that RenderService refuses a key naming another type of unit rather
// than writing "foo.socket.service".
func ServiceName(key string) string { return withSuffix(key, ".service") }

// TimerName is the unit name of the timer configured as
// `systemd.timers.<key>`: key + ".timer", unless key already ends in a
// unit type's suffix.
func TimerName(key string) string { return withSuffix(key, ".timer") }

func withSuffix(key, suffix string) string {
	if unitType(key) != "" {
		return key
	}
	return key + suffix
}

// unitType returns the suffix of name that is a unit type, "" if none.
func unitType(name string) string {
	for _, t := range unitTypes {
		if strings.HasSuffix(name, t) {
			return t
		}
	}
	return ""
}

// CheckName reports whether name is a valid systemd unit name: at most
// 255 bytes, a non-empty prefix of letters, digits and ":-_.\", optionally
// followed by "@" and an instance (empty for a template) of the same
// characters or "@", and a unit type suffix such as ".service". The error
// is an *Error wrapping ErrName.
func CheckName(name string) error {
	return checkName(name, "")
}

// checkName is CheckName that also wants the given suffix, if not "".
func checkName(name, suffix string) error {
	bad := func(format string, a ...any) error {
		return &Error{Unit: name, Err: fmt.Errorf("%w: %s", ErrName, fmt.Sprintf(format, a...))}
	}
	if len(name) > maxNameLen {
		return bad("longer than %d bytes", maxNameLen)
	}
	t := unitType(name)
	switch {
	case t == "":
		return bad("it does not end in a unit type (%s)", strings.Join(unitTypes, ", "))
	case suffix != "" && t != suffix:
		return bad("a %s unit's name ends in %q", strings.TrimPrefix(suffix, "."), suffix)
	}
	stem := strings.TrimSuffix(name, t)
	prefix, _, templated := strings.Cut(stem, "@")
	if prefix == "" {
		if templated {
			return bad("nothing before the \"@\"")
		}
		return bad("nothing before %q", t)
	}
	for _, r := range stem {
		if !nameChar(r) && r != '@' {
			return bad("%q is not allowed in a unit name (letters, digits and \":-_.\\@\" are)", r)
		}
	}
	return nil
}

func nameChar(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' ||
		strings.ContainsRune(":-_.\\", r)
}
