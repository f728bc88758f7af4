package optpath

import (
	"fmt"
	"strconv"
	"strings"
)

// A Path is a sequence of keys from the root of the configuration.
type Path []string

// Parse reads a dotted path. Segments may be quoted with double quotes to
// hold dots or other characters: `macos.defaults."com.apple.dock"`.
// The empty string is the root (an empty Path).
func Parse(s string) (Path, error) {
	var p Path
	if s == "" {
		return p, nil
	}
	i := 0
	for {
		if i >= len(s) {
			return nil, fmt.Errorf("option path %q: ends with a dot", s)
		}
		if s[i] == '"' {
			j := i + 1
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				return nil, fmt.Errorf("option path %q: unterminated quoted segment", s)
			}
			seg, err := strconv.Unquote(s[i : j+1])
			if err != nil {
				return nil, fmt.Errorf("option path %q: bad quoted segment %s", s, s[i:j+1])
			}
			p = append(p, seg)
			i = j + 1
		} else {
			j := i
			for j < len(s) && s[j] != '.' {
				if s[j] == '"' {
					return nil, fmt.Errorf("option path %q: a quote may only start a segment", s)
				}
				j++
			}
			if j == i {
				return nil, fmt.Errorf("option path %q: empty segment", s)
			}
			p = append(p, s[i:j])
			i = j
		}
		if i == len(s) {
			return p, nil
		}
		if s[i] != '.' {
			return nil, fmt.Errorf("option path %q: expected a dot after segment %q", s, p[len(p)-1])
		}
		i++
	}
}

// String prints the path, quoting segments that are not identifiers and
// writing a list element's index (Index) in brackets after its list:
// services.nginx.virtual_hosts.a.listen[0].
func (p Path) String() string {
	var b strings.Builder
	for i, seg := range p {
		if _, ok := IndexOf(seg); i > 0 && !ok {
			b.WriteByte('.')
		}
		b.WriteString(Segment(seg))
	}
	return b.String()
}

// indexMark starts the segment of a list element (Index). A key written
// in a module could start with it only by writing the control character
// U+0001 into the key, and would then only be printed as an index.
const indexMark = "\x01"

// Index is the segment of the list element i, printed [i] after the
// list's path. Key reads it as the plain number, the key Unset and the
// JSON writer use for an element.
func Index(i int) string { return indexMark + strconv.Itoa(i) }

// IndexOf reports whether seg is Index(i), and i.
func IndexOf(seg string) (int, bool) {
	if !strings.HasPrefix(seg, indexMark) {
		return 0, false
	}
	i, err := strconv.Atoi(seg[len(indexMark):])
	return i, err == nil
}

// Segment prints one key as it appears in a path: bare when it is an
// identifier (letters, digits, '_' and '-', not starting with a digit or
// '-'), quoted otherwise. The placeholders "<name>" and "*" used for
// attribute-set keys and list elements in option docs stay bare.
func Segment(seg string) string {
	if i, ok := IndexOf(seg); ok {
		return "[" + strconv.Itoa(i) + "]"
	}
	if IsIdentifier(seg) || seg == "<name>" || seg == "*" {
		return seg
	}
	return strconv.Quote(seg)
}

// IsIdentifier reports whether s is an HCL identifier.
func IsIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'):
		case i > 0 && (r == '-' || (r >= '0' && r <= '9')):
		default:
			return false
		}
	}
	return true
}

// Append returns a new path with the keys added, never sharing the
// backing array with p.
func (p Path) Append(keys ...string) Path {
	out := make(Path, 0, len(p)+len(keys))
	out = append(out, p...)
	return append(out, keys...)
}

// Key is a compact map key for the path; an element's Index is its
// plain number there.
func (p Path) Key() string {
	k := strings.Join(p, "\x00")
	if strings.Contains(k, indexMark) {
		k = strings.ReplaceAll(k, "\x00"+indexMark, "\x00")
	}
	return k
}
