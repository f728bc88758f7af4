package contentdiff

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	udiff "github.com/aymanbagabas/go-udiff"
)

// MaxLines is how many lines of a diff are kept (a screenful): the rest
// is counted in Diff.Cut.
const MaxLines = 40

// MaxSize is the largest content compared: a bigger one is "too large".
const MaxSize = 1 << 20

// contextLines is how many unchanged lines surround a change, as in git.
const contextLines = 3

// Why a content is not shown.
const (
	// Binary: a NUL byte, or not UTF-8.
	Binary = "binary"
	// Private: the file is not readable by others, or is under a private
	// path (~/.ssh).
	Private = "private"
	// Sensitive: the content looks like it holds a secret.
	Sensitive = "sensitive"
	// TooLarge: bigger than MaxSize.
	TooLarge = "too large"
)

// A Diff is what changed in a file's content, as plans and generations
// diffs show it.
type Diff struct {
	// Lines are the unified diff's hunks: "@@ -1,3 +1,3 @@" headers and
	// lines starting with " ", "-" or "+" (without their newline), and
	// `\ No newline at end of file` after a last line without one. At
	// most MaxLines of them; empty when Hidden.
	Lines []string `json:"lines,omitempty"`
	// Cut counts the lines of the diff left out past MaxLines.
	Cut int `json:"cut,omitempty"`
	// Added and Removed count the lines added and removed, in the whole
	// diff (0 when Hidden).
	Added   int `json:"added"`
	Removed int `json:"removed"`
	// Hidden says why the content is not shown (Binary, Private,
	// Sensitive, TooLarge); the diff only says the content changed.
	Hidden string `json:"hidden,omitempty"`
	// File is NewFile for a file that is created (every line added) or
	// DeletedFile for one that is removed (every line removed); empty
	// for a file whose content changes. See Of.
	File string `json:"file,omitempty"`
}

// Hide returns the diff of a content not shown, for reason why.
func Hide(why string) *Diff { return &Diff{Hidden: why} }

// Compare returns the unified diff from old to new, at most MaxLines
// lines of it; nil when they are equal. Content that is binary or
// larger than MaxSize (either side) is hidden.
func Compare(old, new []byte) *Diff {
	if bytes.Equal(old, new) {
		return nil
	}
	if len(old) > MaxSize || len(new) > MaxSize {
		return Hide(TooLarge)
	}
	if IsBinary(old) || IsBinary(new) {
		return Hide(Binary)
	}
	o, n := string(old), string(new)
	u, err := udiff.ToUnifiedDiff("a", "b", o, udiff.Lines(o, n), contextLines)
	if err != nil {
		// Edits made by Lines always apply; keep the plan going.
		return Hide(Binary)
	}
	d := &Diff{}
	var lines []string
	for _, h := range u.Hunks {
		lines = append(lines, header(h))
		for _, l := range h.Lines {
			mark := " "
			switch l.Kind {
			case udiff.Delete:
				mark = "-"
				d.Removed++
			case udiff.Insert:
				mark = "+"
				d.Added++
			}
			lines = append(lines, mark+strings.TrimSuffix(l.Content, "\n"))
			if !strings.HasSuffix(l.Content, "\n") {
				lines = append(lines, `\ No newline at end of file`)
			}
		}
	}
	if len(lines) > MaxLines {
		d.Cut = len(lines) - MaxLines
		lines = lines[:MaxLines]
	}
	d.Lines = lines
	return d
}

// header is a hunk's "@@ -from,count +to,count @@" line, as GNU diff
// writes it.
func header(h *udiff.Hunk) string {
	from, to := 0, 0
	for _, l := range h.Lines {
		switch l.Kind {
		case udiff.Delete:
			from++
		case udiff.Insert:
			to++
		default:
			from++
			to++
		}
	}
	return "@@ " + span("-", h.FromLine, from) + " " + span("+", h.ToLine, to) + " @@"
}

func span(sign string, start, count int) string {
	switch count {
	case 0:
		// An empty range names the line before it.
		return fmt.Sprintf("%s%d,0", sign, start-1)
	case 1:
		return fmt.Sprintf("%s%d", sign, start)
	}
	return fmt.Sprintf("%s%d,%d", sign, start, count)
}

// IsBinary reports whether b is not text: it holds a NUL byte (git's
// test, in its first 8000 bytes) or is not valid UTF-8.
func IsBinary(b []byte) bool {
	head := b
	if len(head) > 8000 {
		head = head[:8000]
	}
	return bytes.IndexByte(head, 0) >= 0 || !utf8.Valid(b)
}
