package unit

import "slices"

// Section is one section of a parsed unit file: each key's values in the
// order the file assigns them. A key whose last empty assignment (`Key=`)
// left it no value is absent, as systemd reads an empty assignment as
// "reset".
type Section map[string][]string

// equal reports whether s and t assign the same values to key.
func (s Section) equal(t Section, key string) bool {
	return slices.Equal(s[key], t[key])
}
