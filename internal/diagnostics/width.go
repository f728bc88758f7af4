package diagnostics

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tabWidth is the distance between tab stops when source lines are shown.
const tabWidth = 4

// render returns b as it is shown in a snippet, starting at display column
// col, and the display column after it. Tabs become spaces up to the next
// tab stop; control characters and invalid UTF-8 become U+FFFD, so a source
// file can never send escape sequences to the terminal.
func render(b []byte, col int) (string, int) {
	var s strings.Builder
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		switch {
		case r == '\t':
			n := tabWidth - col%tabWidth
			s.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		case r == utf8.RuneError && size == 1, unicode.IsControl(r):
			r = utf8.RuneError
		}
		s.WriteRune(r)
		col += runeWidth(r)
	}
	return s.String(), col
}

// runeWidth is the number of terminal cells r takes: 0 for combining marks
// and format characters (they join the character before), 2 for East Asian
// wide and fullwidth characters and most emoji, 1 otherwise.
func runeWidth(r rune) int {
	if unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) {
		return 0
	}
	for _, w := range wide {
		if r < w.lo {
			break
		}
		if r <= w.hi {
			return 2
		}
	}
	return 1
}

// wide lists, in order, the code point ranges terminals draw two cells wide
// (after Markus Kuhn's wcwidth).
var wide = []struct{ lo, hi rune }{
	{0x1100, 0x115f},   // Hangul Jamo initial consonants
	{0x2e80, 0x303e},   // CJK radicals, punctuation
	{0x3041, 0x33ff},   // kana, CJK compatibility
	{0x3400, 0x4dbf},   // CJK extension A
	{0x4e00, 0x9fff},   // CJK unified ideographs
	{0xa000, 0xa4cf},   // Yi
	{0xac00, 0xd7a3},   // Hangul syllables
	{0xf900, 0xfaff},   // CJK compatibility ideographs
	{0xfe30, 0xfe4f},   // CJK compatibility forms
	{0xff00, 0xff60},   // fullwidth forms
	{0xffe0, 0xffe6},   // fullwidth signs
	{0x1f300, 0x1f64f}, // pictographs, emoticons
	{0x1f900, 0x1f9ff}, // supplemental pictographs
	{0x20000, 0x3fffd}, // CJK extensions B and later
}
