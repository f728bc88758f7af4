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
// column, and any other character two (the widest a terminal shows
// one). A line with letters beyond ASCII is therefore cut sooner than
// the terminal would wrap it; counted low, the terminal would wrap it
// first. (diagnostics' runeWidth counts exactly, for source snippets;
// here the characters are a hostile host's to choose, and a combining
// mark it counts as 0 may be drawn as 1.) A tab becomes the spaces to
// the next multiple of eight, so that the terminal's own tab stops
// (tabs(1) can move them) play no part (reviewer R18). An escape that diagnostics.Escaped wrote (\x1b,
// \u202e) is not cut. line holds no control characters but tabs.
//
// A row is cut after its last space or tab, so that words stay whole
// (tester BA). Where the character that does not fit is a space, the
// row is cut there and that one space is left out; where the row has
// no space but at its start, it is cut at the width, as a long word
// is.
//
// A piece holds at least one character: the caller leaves room for
// two columns (wrapRows, Prefixed.emit), else that character's row is
// wrapped by the terminal.
func wrapColumns(line string, start, next, width int) []string {
	var pieces []string
	var b strings.Builder
	col, at := start, start // at: the column the piece began at
	// After the piece's last space (not its first character): where
	// the line goes on, and the length of the piece up to there.
	spaceAt, spaceLen := 0, 0
	for i := 0; i < len(line); {
		r, n := utf8.DecodeRuneInString(line[i:])
		end := col + 2
		text := line[i : i+n]
		switch {
		case r == '\t':
			end = (col/8 + 1) * 8
			text = strings.Repeat(" ", end-col)
		case r == '\\' && escapeLen(line[i:]) > 0:
			n = escapeLen(line[i:])
			text, end = line[i:i+n], col+n
		case r < utf8.RuneSelf:
			end = col + 1
		}
		if end > width && col > at {
			piece := b.String()
			switch {
			case r == ' ' || r == '\t':
				i += n // the space the row ends at: not carried over
			case spaceLen > 0:
				piece, i = piece[:spaceLen], spaceAt
			}
			pieces = append(pieces, piece)
			b.Reset()
			col, at = next, next
			spaceAt, spaceLen = 0, 0
			continue
		}
		b.WriteString(text)
		col = end
		i += n
		if (r == ' ' || r == '\t') && b.Len() > len(text) {
			spaceAt, spaceLen = i, b.Len()
		}
	}
	return append(pieces, b.String())
}

// escapeLen is the length of the escape that s begins with, as
// diagnostics.Escaped writes one (\xNN, \uNNNN), else 0.
func escapeLen(s string) int {
	n := 0
	switch {
	case strings.HasPrefix(s, `\x`):
		n = 4
	case strings.HasPrefix(s, `\u`):
		n = 6
	default:
		return 0
	}
	if len(s) < n {
		return 0
	}
	for _, c := range s[2:n] {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return 0
		}
	}
	return n
}

// wrapRows cuts each row of text that is wider than width columns, its
// later pieces indented (wrapColumns) by indent spaces, at least one,
// and at most what leaves two columns: a row's continuation then begins
// with a space, which none of a table's rows does.
func wrapRows(text string, indent, width int) string {
	if width <= 0 {
		return text
	}
	indent = max(1, min(indent, width-2))
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
