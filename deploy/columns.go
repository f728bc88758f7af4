package deploy

import (
	"strings"
	"unicode/utf8"
)

// wrapColumns cuts line, shown from column start of a terminal that is
// width columns wide, into pieces that each fit on one row of it: the
// first from column start, the others from column next. It is how a
// host's line stays its own on a terminal: left to the terminal, a long
// line wraps to column 0, and a host that pads its line to the width
// it guesses can show, there, what looks like another host's line
// (tester AT). Cut by gocfg, every row begins with what gocfg put there.
//
// Widths are counted high, never low: an ASCII character is one
// column, a tab reaches the next multiple of eight, and any other
// character two (the widest a terminal shows one). A line with letters
// beyond ASCII is therefore cut sooner than the terminal would wrap it;
// counted low, the terminal would wrap it first. line holds no control
// characters but tabs (diagnostics.Escaped).
//
// A terminal too narrow for start or next plus a few characters is
// taken as that much wider: the rows wrap again there, but nothing is
// hidden.
func wrapColumns(line string, start, next, width int) []string {
	const least = 8
	var pieces []string
	col, from := start, 0
	limit := max(width, start+least)
	for i := 0; i < len(line); {
		r, n := utf8.DecodeRuneInString(line[i:])
		end := col + 2
		switch {
		case r == '\t':
			end = (col/8 + 1) * 8
		case r < utf8.RuneSelf:
			end = col + 1
		}
		if end > limit && i > from {
			pieces = append(pieces, line[from:i])
			from, col = i, next
			limit = max(width, next+least)
			continue
		}
		col = end
		i += n
	}
	return append(pieces, line[from:])
}

// wrapRows cuts each row of text that is wider than width columns, its
// later pieces indented by indent spaces (wrapColumns): a row's
// continuation then begins with a space, which none of a table's rows
// does.
func wrapRows(text string, indent, width int) string {
	if width <= 0 {
		return text
	}
	var b strings.Builder
	pad := strings.Repeat(" ", indent)
	for _, row := range strings.SplitAfter(text, "\n") {
		body, nl := strings.CutSuffix(row, "\n")
		for i, piece := range wrapColumns(body, 0, indent, width) {
			if i > 0 {
				b.WriteString("\n" + pad)
			}
			b.WriteString(piece)
		}
		if nl {
			b.WriteString("\n")
		}
	}
	return b.String()
}
