package diagnostics

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escaped is s with what a terminal would act on instead of showing
// written as escapes: control characters other than newline and tab
// (ESC, BEL, carriage return, C1 controls) as \x1b or \u009b, and bytes
// that are not UTF-8 as \xff. A file name or link target that a user
// chose, in an error root reads, then cannot set the terminal's title,
// clear it or move its cursor. Newlines are kept, since gocfg's own
// messages have several lines; text a user controls is quoted where the
// message is made (platform.Printable), so that it cannot start a line
// either. The writer escapes every text it writes but the source
// snippets and its own colours.
func Escaped(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r < 0x80 && unicode.IsControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}
