package diagnostics

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// maxSnippetLines is how many lines of a multi-line subject are shown.
const maxSnippetLines = 3

// maxSnippetCols is how many display columns of a source line are shown:
// a longer line is cut around the subject, with "…" where it is cut
// (tester U: a 100,000-character value printed 500 KB).
const maxSnippetCols = 240

// clip cuts the rendered line text to maxSnippetCols display columns,
// keeping the subject's start (display column col, width columns) in
// view, and returns the text shown and where the subject is in it.
func clip(text string, col, width int) (string, int, int) {
	cells := 0
	for _, r := range text {
		cells += runeWidth(r)
	}
	if cells <= maxSnippetCols {
		return text, col, width
	}
	from := 0
	if col > maxSnippetCols/2 {
		from = col - maxSnippetCols/4
	}
	to := from + maxSnippetCols
	var b strings.Builder
	lead := 0 // the "…" before, one column
	if from > 0 {
		b.WriteString("…")
		lead = 1
	}
	at := 0
	for _, r := range text {
		w := runeWidth(r)
		if at >= from && at+w <= to {
			b.WriteRune(r)
		}
		at += w
	}
	if to < cells {
		b.WriteString("…")
	}
	col += lead - from
	width = max(1, min(width, lead+to-from-col))
	return b.String(), col, width
}

// A snippet is the part of a source file shown under a diagnostic: the
// subject's lines, the first one underlined from where the subject starts.
type snippet struct {
	first int      // line number of lines[0]
	lines []string // lines as shown: tabs expanded, no line ending
	col   int      // display column (0-based) of the first caret
	width int      // number of carets, at least 1
}

// newSnippet cuts the lines of rng out of src. It uses rng's byte offsets,
// not its columns, and reports false when they do not fit src (a changed
// or wrong file, or a range that is not a range): then the location is
// shown without a snippet.
func newSnippet(src []byte, rng hcl.Range) (snippet, bool) {
	start, end := rng.Start.Byte, rng.End.Byte
	if start < 0 || end < start || end > len(src) || rng.Start.Line < 1 {
		return snippet{}, false
	}
	// A range from another version of the file would show the wrong
	// text: check that the lines agree and that the line holds at least
	// Column-1 characters before the start.
	nl := []byte{'\n'}
	if bytes.Count(src[:start], nl) != rng.Start.Line-1 || bytes.Count(src[start:end], nl) != rng.End.Line-rng.Start.Line {
		return snippet{}, false
	}
	pos := bytes.LastIndexByte(src[:start], '\n') + 1
	if rng.Start.Column < 1 || utf8.RuneCount(src[pos:start]) < rng.Start.Column-1 {
		return snippet{}, false
	}
	s := snippet{first: rng.Start.Line}
	for {
		lineEnd, next := len(src), len(src)+1
		if i := bytes.IndexByte(src[pos:], '\n'); i >= 0 {
			lineEnd, next = pos+i, pos+i+1
		}
		line := bytes.TrimSuffix(src[pos:lineEnd], []byte{'\r'})
		if len(s.lines) == 0 {
			from := min(start-pos, len(line))
			to := max(from, min(end-pos, len(line)))
			_, s.col = render(line[:from], 0)
			_, after := render(line[from:to], s.col)
			s.width = max(1, after-s.col)
		}
		text, _ := render(line, 0)
		if len(s.lines) == 0 {
			text, s.col, s.width = clip(text, s.col, s.width)
		} else {
			text, _, _ = clip(text, 0, 0)
		}
		s.lines = append(s.lines, text)
		// Go on while the subject covers part of the next line.
		if next >= end || len(s.lines) == maxSnippetLines {
			return s, true
		}
		pos = next
	}
}
