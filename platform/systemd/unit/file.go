package unit

import (
	"bytes"
	"fmt"
	"strings"

	sdunit "github.com/coreos/go-systemd/v22/unit"
)

// File is a parsed unit file: section name ("Unit", "Service", ...) →
// Section. Sections that appear more than once are merged, as systemd
// does; a section with no key is absent.
type File map[string]Section

// Parse reads a unit file with go-systemd's unit.DeserializeOptions and
// gathers, per section and key, the values in file order. Comments,
// blank lines, whitespace around keys and values, and the order of
// sections and of different keys are lost: they mean nothing to systemd.
// An empty assignment (`ExecStartPre=`) drops the values the key had so
// far, as in systemd and in NixOS's switch-to-configuration. A line
// continued with a trailing backslash is joined with a space in place of
// the backslash and line break.
//
// The error is go-systemd's (a section header without "]", text after a
// section header, a line longer than 2047 bytes); the caller adds the
// file's path.
func Parse(data []byte) (File, error) {
	opts, err := sdunit.DeserializeOptions(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("parse unit file: %w", err)
	}
	f := File{}
	for _, o := range opts {
		v := strings.TrimSpace(strings.ReplaceAll(o.Value, "\\\n", " "))
		s := f[o.Section]
		if s == nil {
			s = Section{}
			f[o.Section] = s
		}
		if v == "" {
			delete(s, o.Name)
			continue
		}
		s[o.Name] = append(s[o.Name], v)
	}
	for name, s := range f {
		if len(s) == 0 {
			delete(f, name)
		}
	}
	return f, nil
}
