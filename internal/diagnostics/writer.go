package diagnostics

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// ANSI escape sequences used when Writer.Color is set.
const (
	reset      = "\x1b[0m"
	bold       = "\x1b[1m"
	boldRed    = "\x1b[1;31m"
	boldYellow = "\x1b[1;33m"
	boldCyan   = "\x1b[1;36m"
	blue       = "\x1b[34m"
)

// hintPrefix marks a Detail line that is printed as a "gocfg: hint:" line.
const hintPrefix = "hint: "

// A Writer prints diagnostics with the offending source line.
type Writer struct {
	// Out receives the text, usually the command's stderr.
	Out io.Writer
	// Color turns on ANSI colour; callers decide (a terminal, no NO_COLOR).
	// Without it the output holds no escape codes at all.
	Color bool
	// Sources returns the source bytes of a range's filename. When it is
	// nil or returns nil, diagnostics are shown without a snippet.
	Sources func(filename string) []byte
	// RelTo, if set, is a folder: filenames under it are shown relative
	// to it.
	RelTo string
}

// Write prints diags, errors and warnings alike, in order, with a blank
// line between them. Each shows its summary; the location and source
// snippet of its Subject, if it has one; its Detail; and the hints found in
// its Detail. Nil entries are skipped. The text is written to Out in one
// call, whose error Write returns.
func (w *Writer) Write(diags hcl.Diagnostics) error {
	var b strings.Builder
	for _, d := range diags {
		if d == nil {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		w.diagnostic(&b, d)
	}
	if b.Len() == 0 {
		return nil
	}
	_, err := io.WriteString(w.Out, b.String())
	return err
}

// Error prints a plain error (not a configuration error) as
// "gocfg: error: <msg>" and, for each hint, "gocfg: hint: <hint>". If err
// is hcl.Diagnostics, they are printed as by Write, followed by the hints.
// A nil err prints nothing.
func (w *Writer) Error(err error, hints ...string) error {
	if err == nil {
		return nil
	}
	var diags hcl.Diagnostics
	if errors.As(err, &diags) && len(diags) > 0 {
		if err := w.Write(diags); err != nil {
			return err
		}
		var b strings.Builder
		w.hints(&b, hints)
		_, err := io.WriteString(w.Out, b.String())
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "gocfg: %s: %s\n", w.paint(boldRed, "error"), w.paint(bold, Escaped(err.Error())))
	w.hints(&b, hints)
	_, err = io.WriteString(w.Out, b.String())
	return err
}

// diagnostic appends one diagnostic to b.
func (w *Writer) diagnostic(b *strings.Builder, d *hcl.Diagnostic) {
	severity, color := "error", boldRed
	if d.Severity == hcl.DiagWarning {
		severity, color = "warning", boldYellow
	}
	fmt.Fprintf(b, "gocfg: %s: %s\n", w.paint(color, severity), w.paint(bold, Escaped(d.Summary)))

	// The gutter is as wide as the widest line number shown.
	digits := 1
	if d.Subject != nil {
		s, ok := w.snippet(*d.Subject)
		if _, secret := d.Extra.(NoSnippet); secret {
			ok = false
		}
		if ok {
			digits = len(strconv.Itoa(s.first + len(s.lines) - 1))
		}
		pad := strings.Repeat(" ", digits+1)
		fmt.Fprintf(b, "%s%s %s\n", pad, w.paint(blue, "-->"), w.location(d.Subject.Start, d.Subject.Filename))
		if ok {
			bar := pad + " " + w.paint(blue, "|")
			b.WriteString(bar + "\n")
			for i, line := range s.lines {
				b.WriteString(" " + w.paint(blue, fmt.Sprintf("%*d |", digits, s.first+i)))
				if line != "" {
					b.WriteString(" " + line)
				}
				b.WriteByte('\n')
				if i == 0 {
					carets := strings.Repeat(" ", s.col) + w.paint(color, strings.Repeat("^", s.width))
					b.WriteString(bar + " " + carets + "\n")
				}
			}
		}
	}

	details, hints := splitDetail(w.rangesAsLocations(d.Detail))
	for i, line := range details {
		prefix := strings.Repeat(" ", digits+4)
		if i == 0 {
			prefix = strings.Repeat(" ", digits+2) + w.paint(blue, "=") + " "
		}
		if line == "" {
			prefix = strings.TrimRight(prefix, " ")
		}
		b.WriteString(prefix + Escaped(cut(line)) + "\n")
	}
	w.hints(b, hints)
}

// NoSnippet, as a diagnostic's Extra, shows its subject as a location
// alone: the source line may hold a secret (a password written where
// its hash goes).
type NoSnippet struct{}

// snippet returns the source lines of rng, if its source is known and
// rng fits it.
func (w *Writer) snippet(rng hcl.Range) (snippet, bool) {
	if w.Sources == nil {
		return snippet{}, false
	}
	src := w.Sources(rng.Filename)
	if src == nil {
		return snippet{}, false
	}
	return newSnippet(src, rng)
}

// location formats pos in filename as "file:line:column".
func (w *Writer) location(pos hcl.Pos, filename string) string {
	if filename == "" {
		return fmt.Sprintf("%d:%d", pos.Line, pos.Column)
	}
	return fmt.Sprintf("%s:%d:%d", w.shorten(filename), pos.Line, pos.Column)
}

// hclRange matches a range as hcl.Range.String writes it into the
// details of HCL's own diagnostics: "/abs/default.hcl:2,3-12" or
// "/abs/default.hcl:2,3-4,7", starting the detail or after a space. Its
// path runs from there to the colon before the line, without white
// space, colons or commas (such a path is not matched, and stays as HCL
// wrote it). Compiled when first needed: every gocfg process would pay
// for it at start otherwise (bench/README, the fixed cost).
var hclRange = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(^|\s)(/[^\s:,]+):([0-9]+),([0-9]+)-[0-9]+(?:,[0-9]+)?`)
})

// rangesAsLocations rewrites the ranges that HCL's messages quote ("was
// already set at /abs/path/default.hcl:2,3-12") as the "file:line:column"
// of every other location gocfg prints, relative to RelTo (tester U: a
// repeated attribute named the absolute path in HCL's form).
func (w *Writer) rangesAsLocations(detail string) string {
	if !strings.Contains(detail, ",") {
		return detail
	}
	re := hclRange()
	return re.ReplaceAllStringFunc(detail, func(m string) string {
		g := re.FindStringSubmatch(m)
		return g[1] + w.shorten(g[2]) + ":" + g[3] + ":" + g[4]
	})
}

// shorten returns filename relative to RelTo when it lies under RelTo.
func (w *Writer) shorten(filename string) string {
	if w.RelTo == "" {
		return filename
	}
	rel, err := filepath.Rel(w.RelTo, filename)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filename
	}
	return rel
}

// hints appends a "gocfg: hint:" line for each hint to b.
func (w *Writer) hints(b *strings.Builder, hints []string) {
	for _, h := range hints {
		fmt.Fprintf(b, "gocfg: %s: %s\n", w.paint(boldCyan, "hint"), Escaped(h))
	}
}

// paint wraps s in the escape sequence code when colour is on.
func (w *Writer) paint(code, s string) string {
	if !w.Color || s == "" {
		return s
	}
	return code + s + reset
}

// splitDetail splits a diagnostic's Detail into the lines shown under it
// and the hints (lines starting with "hint: ", without that prefix).
// Leading and trailing blank lines are dropped.
func splitDetail(detail string) (lines, hints []string) {
	for line := range strings.SplitSeq(detail, "\n") {
		line = strings.TrimRight(line, " \t\r")
		if h, ok := strings.CutPrefix(line, hintPrefix); ok {
			hints = append(hints, h)
			continue
		}
		lines = append(lines, line)
	}
	for len(lines) > 0 && lines[0] == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines, hints
}

// maxDetailRunes is how much of one line of a diagnostic's detail is
// shown: a message that quotes a huge value is cut, with how much was
// left out (tester U: a 100,000-character value printed whole).
const maxDetailRunes = 400

// cut is line shortened to maxDetailRunes runes.
func cut(line string) string {
	n := 0
	for i := range line {
		if n == maxDetailRunes {
			return line[:i] + fmt.Sprintf("… (%d more characters)", utf8.RuneCountInString(line[i:]))
		}
		n++
	}
	return line
}
