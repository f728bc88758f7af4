package unit

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	sdunit "github.com/coreos/go-systemd/v22/unit"
)

// maxLine is the longest Key=value line go-systemd's parser is sure to
// read back: it refuses a line when the SYSTEMD_LINE_MAX bytes ahead of
// it hold no line break.
const maxLine = sdunit.SYSTEMD_LINE_MAX - 1

// builder collects the options of one unit file, checking each, and
// keeps the first error.
type builder struct {
	unit string
	opts []*sdunit.UnitOption
	err  error
}

// add appends Key=value, unless value is empty.
func (b *builder) add(section, key, value string) {
	if b.err != nil || value == "" {
		return
	}
	if err := checkValue(key, value); err != nil {
		b.fail(section, key, err)
		return
	}
	b.opts = append(b.opts, sdunit.NewUnitOption(section, key, value))
}

// addPtr appends Key=*value, unless value is nil or empty.
func (b *builder) addPtr(section, key string, value *string) {
	if value != nil {
		b.add(section, key, *value)
	}
}

// list appends one Key=value per non-empty element, in order.
func (b *builder) list(section, key string, values []string) {
	for _, v := range values {
		b.add(section, key, v)
	}
}

// extra appends the keys of m sorted by name, after checking each is a
// setting name, with one Key=value line for each of a key's non-empty
// values, in order.
func (b *builder) extra(section string, m Settings) {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if b.err == nil && !validKey(k) {
			b.fail(section, k, ErrKey)
		}
		b.list(section, k, m.Values(k))
	}
}

// environment appends one Environment="NAME=value" per variable, sorted
// by name.
func (b *builder) environment(section string, env map[string]string) {
	for _, k := range slices.Sorted(maps.Keys(env)) {
		if b.err != nil {
			return
		}
		v, err := quoteEnvironment(k, env[k])
		if err != nil {
			b.fail(section, "Environment", err)
			return
		}
		b.add(section, "Environment", v)
	}
}

func (b *builder) fail(section, key string, err error) {
	if b.err == nil {
		b.err = &Error{Unit: b.unit, Section: section, Key: key, Err: err}
	}
}

// bytes serializes the options, grouped by section in the order the
// sections were first added.
func (b *builder) bytes() ([]byte, error) {
	if b.err != nil {
		return nil, b.err
	}
	return io.ReadAll(sdunit.Serialize(b.opts))
}

// checkValue refuses what cannot be written as the value of one
// Key=value line that systemd and go-systemd read back unchanged.
func checkValue(key, value string) error {
	switch {
	case strings.ContainsAny(value, "\n\r"):
		return ErrLineBreak
	case strings.ContainsRune(value, 0) || !utf8.ValidString(value):
		return ErrValue
	case strings.HasSuffix(strings.TrimRight(value, " \t"), `\`):
		return ErrContinuation
	case len(key)+1+len(value) > maxLine:
		return ErrLineTooLong
	}
	return nil
}

// validKey reports whether k can be written as a setting name: a letter,
// then letters, digits, '-' and '_' (systemd's own settings and X-...
// extensions all are).
func validKey(k string) bool {
	if k == "" || !isLetter(k[0]) {
		return false
	}
	for i := 1; i < len(k); i++ {
		c := k[i]
		if !isLetter(c) && !isDigit(c) && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }

// quoteEnvironment writes one variable as the argument of Environment=:
// a double-quoted NAME=value that systemd.exec's parser (C unescaping
// inside quotes, then specifier expansion) turns back into exactly
// NAME=value.
func quoteEnvironment(name, value string) (string, error) {
	if !validEnvironmentName(name) {
		return "", fmt.Errorf("variable %q: %w", name, ErrEnvironmentName)
	}
	if strings.ContainsRune(value, 0) || !utf8.ValidString(value) {
		return "", fmt.Errorf("variable %q: %w", name, ErrValue)
	}
	var s strings.Builder
	s.WriteByte('"')
	s.WriteString(name)
	s.WriteByte('=')
	for i := 0; i < len(value); i++ {
		c := value[i]
		switch c {
		case '\\':
			s.WriteString(`\\`)
		case '"':
			s.WriteString(`\"`)
		case '%':
			s.WriteString("%%")
		case '\n':
			s.WriteString(`\n`)
		case '\r':
			s.WriteString(`\r`)
		case '\t':
			s.WriteString(`\t`)
		default:
			if c < 0x20 || c == 0x7f {
				const hex = "0123456789abcdef"
				s.WriteString(`\x`)
				s.WriteByte(hex[c>>4])
				s.WriteByte(hex[c&0xf])
			} else {
				s.WriteByte(c)
			}
		}
	}
	s.WriteByte('"')
	return s.String(), nil
}

// validEnvironmentName is systemd's env_name_is_valid: letters, digits
// and '_', not starting with a digit.
func validEnvironmentName(name string) bool {
	if name == "" || isDigit(name[0]) {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isLetter(c) && !isDigit(c) && c != '_' {
			return false
		}
	}
	return true
}
