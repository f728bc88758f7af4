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
// JSON writer use for an element. The first 100 are slices of one
// constant (no allocation: the evaluator makes one for every element it
// checks that is not a string).
func Index(i int) string {
	switch {
	case i >= 0 && i < 10:
		return smallIndexes[2*i : 2*i+2]
	case i >= 10 && i < 100:
		return smallIndexes[20+3*(i-10) : 20+3*(i-10)+3]
	}
	return indexMark + strconv.Itoa(i)
}

// smallIndexes is Index(0) to Index(99), one after the other.
const smallIndexes = "\x010\x011\x012\x013\x014\x015\x016\x017\x018\x019\x0110\x0111\x0112\x0113\x0114\x0115\x0116\x0117\x0118\x0119\x0120\x0121\x0122\x0123\x0124\x0125\x0126\x0127\x0128\x0129\x0130\x0131\x0132\x0133\x0134\x0135\x0136\x0137\x0138\x0139\x0140\x0141\x0142\x0143\x0144\x0145\x0146\x0147\x0148\x0149\x0150\x0151\x0152\x0153\x0154\x0155\x0156\x0157\x0158\x0159\x0160\x0161\x0162\x0163\x0164\x0165\x0166\x0167\x0168\x0169\x0170\x0171\x0172\x0173\x0174\x0175\x0176\x0177\x0178\x0179\x0180\x0181\x0182\x0183\x0184\x0185\x0186\x0187\x0188\x0189\x0190\x0191\x0192\x0193\x0194\x0195\x0196\x0197\x0198\x0199"

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
