package deploy

import (
	"bytes"
	"io"
	"sync"
	"unicode/utf8"

	"github.com/gocfg/gocfg/internal/diagnostics"
)

// Output is the deploy's stream that every host writes to, through a
// Prefixed writer of its own: whole lines only, so that the lines of
// hosts deployed at the same time never mix.
type Output struct {
	mu sync.Mutex
	w  io.Writer
	// columns is the terminal's width now, 0 where w is no terminal
	// (Wrap).
	columns func() int
}

// NewOutput writes to w.
func NewOutput(w io.Writer) *Output { return &Output{w: w} }

// Wrap has a host's line that is wider than the terminal cut by gocfg,
// each row with the host's prefix (wrapColumns), where columns, asked
// at each line (a terminal may be resized), says the terminal's width;
// 0 leaves lines whole, for a stream that is no terminal.
func (o *Output) Wrap(columns func() int) *Output {
	o.columns = columns
	return o
}

// writeLine writes one whole line.
func (o *Output) writeLine(line []byte) {
	o.mu.Lock()
	defer o.mu.Unlock()
	_, _ = o.w.Write(line)
}

// Prefixed is a host's writer: it prefixes each line with "<host>: " and
// writes it to the Output whole, once its newline has come (Flush writes
// the rest). It is safe for concurrent use: ssh's stdout and stderr of
// one host may write at the same time.
type Prefixed struct {
	mu     sync.Mutex
	out    *Output
	prefix []byte
	lines  lines
}

// Host is a writer for host name's lines.
func (o *Output) Host(name string) *Prefixed {
	return &Prefixed{out: o, prefix: []byte(name + ": ")}
}

// Write buffers p and writes the lines it completes.
func (p *Prefixed) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lines.add(b, func(line []byte) { p.emit(bytes.TrimSuffix(line, []byte("\n"))) })
	// A line that never ends is written in pieces rather than held,
	// each cut at a character (reviewer R16: a long honest line showed
	// a broken character as \xNN escapes every 64 KiB).
	if rest := p.lines.rest; len(rest) >= maxLine {
		cut := len(rest)
		for i := len(rest) - 1; i >= 0 && i >= len(rest)-utf8.UTFMax; i-- {
			if utf8.RuneStart(rest[i]) {
				if !utf8.FullRune(rest[i:]) {
					cut = i
				}
				break
			}
		}
		p.emit(rest[:cut])
		p.lines.rest = append(rest[:0], rest[cut:]...)
	}
	return len(b), nil
}

// narrow is the fewest columns a host's name leaves its line on a row
// of the terminal; with fewer, the line goes below the name (emit).
const narrow = 8

// Aside writes line, gocfg's own, as a row of its own: a part of the
// host's line that has not ended stays held, and goes on after it
// (reviewer R18: "the connection dropped; reconnecting" was glued to the
// host's words).
func (p *Prefixed) Aside(line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.emit([]byte(line))
}

// aside writes gocfg's own line to a host's writer w: Prefixed.Aside
// where w is one.
func aside(w io.Writer, line string) {
	if p, ok := w.(*Prefixed); ok {
		p.Aside(line)
		return
	}
	_, _ = io.WriteString(w, line+"\n")
}

// maxLine bounds what a line may hold back.
const maxLine = 64 << 10

// Flush writes a last line without its newline.
func (p *Prefixed) Flush() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.lines.rest) > 0 {
		p.emit(p.lines.rest)
		p.lines.rest = nil
	}
}

// emit writes line with its prefix and a newline. Control characters
// show as escapes (diagnostics.Escaped): what a host prints is the
// host's to choose, and must not drive the deploying user's terminal
// (tester AS: a compromised host erased its own prefix and printed a
// line that looked like another host's, set the window title, and wrote
// the clipboard with OSC 52). On a terminal, a line wider than it is
// cut into rows that each begin with the prefix (Output.Wrap).
func (p *Prefixed) emit(line []byte) {
	line = bytes.TrimSuffix(line, []byte("\r"))
	if esc := diagnostics.Escaped(string(line)); len(esc) != len(line) {
		line = []byte(esc)
	}
	l := make([]byte, 0, len(p.prefix)+len(line)+1)
	width := 0
	if p.out.columns != nil {
		width = p.out.columns()
	}
	at := len(p.prefix) // the inventory's name: the user's own
	switch {
	case width <= 0:
		l = append(append(append(l, p.prefix...), line...), '\n')
	case width-at >= narrow:
		for _, piece := range wrapColumns(string(line), at, at, width) {
			l = append(append(append(l, p.prefix...), piece...), '\n')
		}
	default:
		// The name leaves too little room (reviewer R18: a long host
		// name in a narrow pane still let 7 of the host's characters
		// reach column 0): the name on a row of its own, the line below
		// it on rows indented by two spaces, which no host's row begins
		// with.
		l = append(append(l, bytes.TrimSuffix(p.prefix, []byte(" "))...), '\n')
		for _, piece := range wrapColumns(string(line), 2, 2, max(width, 4)) {
			l = append(append(append(l, "  "...), piece...), '\n')
		}
	}
	p.out.writeLine(l)
}
