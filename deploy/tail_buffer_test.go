package deploy

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// TestHostOutputBounded (tester AS): what a host prints is held within a
// bound however much it prints: the last bytes of a message or answer
// (tailBuffer), a JSON answer refused past its bound, a line without a
// newline passed on in pieces by --follow's reader and dropped by the
// rollback's watcher.
func TestHostOutputBounded(t *testing.T) {
	chunk := bytes.Repeat([]byte("a"), 32<<10)

	t.Run("tailBuffer", func(t *testing.T) {
		tb := &tailBuffer{max: 1 << 10}
		for range 320 { // 10 MiB
			_, _ = tb.Write(chunk)
		}
		_, _ = tb.Write([]byte("\nthe end\n"))
		if len(tb.b) != 1<<10 || !strings.HasSuffix(tb.String(), "\nthe end\n") || tb.lastLine() != "the end" {
			t.Errorf("kept %d bytes ending %q", len(tb.b), tail(tb.String(), 20))
		}
		if c := cap(tb.b); c > 3<<10+len(chunk) {
			t.Errorf("holds %d bytes of memory for 1 KiB kept", c)
		}
		if _, err := tb.all("an answer"); err == nil || !strings.Contains(err.Error(), "an answer: the host printed 10485769 bytes, more than the 1024 gocfg reads") {
			t.Errorf("whole: %v", err)
		}
		small := &tailBuffer{max: 1 << 10}
		_, _ = small.Write([]byte(`["a"]`))
		if b, err := small.all("an answer"); err != nil || string(b) != `["a"]` {
			t.Errorf("whole of a small answer: %q, %v", b, err)
		}
	})

	t.Run("follower", func(t *testing.T) {
		var out bytes.Buffer
		f := &follower{w: &out}
		for range 64 { // 2 MiB without a newline
			_, _ = f.Write(chunk)
		}
		if len(f.lines.rest) >= maxLine {
			t.Errorf("holds %d bytes of a line", len(f.lines.rest))
		}
		status := StatusPrefix + `{"state":"switched","from":1,"to":2}`
		_, _ = f.Write([]byte("\n" + status + "\n"))
		st, ok, err := f.end()
		if !ok || err != nil || st.State != StateSwitched {
			t.Errorf("status after a long line: %+v %v %v", st, ok, err)
		}
		if f.seen != 2<<20+1 || out.Len() != 2<<20+1 {
			t.Errorf("passed on %d bytes, counted %d; want the line's 2 MiB and its newline", out.Len(), f.seen)
		}
	})

	t.Run("whole", func(t *testing.T) {
		tb := &tailBuffer{max: 1 << 10, whole: true}
		for range 320 {
			_, _ = tb.Write(chunk)
		}
		if len(tb.b) != 1<<10 || cap(tb.b) > 2<<10 {
			t.Errorf("keeps %d bytes in %d", len(tb.b), cap(tb.b))
		}
		if _, err := tb.all("an answer"); err == nil {
			t.Error("more than it keeps, read whole")
		}
	})

	t.Run("a status line too long", func(t *testing.T) {
		var out bytes.Buffer
		f := &follower{w: &out}
		_, _ = f.Write([]byte(StatusPrefix))
		for range 40 { // over 1 MiB
			_, _ = f.Write(chunk)
		}
		_, _ = f.Write([]byte("\nthe log goes on\n"))
		if out.String() != "the log goes on\n" {
			t.Errorf("passed on %d bytes: %.40q", out.Len(), out.String())
		}
		if _, _, err := f.end(); err == nil || !strings.Contains(err.Error(), "a status line of over 1048576 bytes") {
			t.Errorf("end: %v", err)
		}
	})

	t.Run("Prefixed cuts at a character", func(t *testing.T) {
		var out bytes.Buffer
		w := NewOutput(&out).Host("h")
		line := strings.Repeat("é", maxLine) // 2 bytes each: cut in one
		_, _ = w.Write([]byte(line[:maxLine+1]))
		_, _ = w.Write([]byte(line[maxLine+1:] + "\n"))
		if strings.Contains(out.String(), `\x`) || strings.ReplaceAll(strings.ReplaceAll(out.String(), "h: ", ""), "\n", "") != line {
			t.Errorf("a long line of é came out as %d bytes with escapes: %v", out.Len(), strings.Contains(out.String(), `\x`))
		}
	})

	t.Run("currentWatcher", func(t *testing.T) {
		c := &currentWatcher{w: io.Discard}
		for range 64 {
			_, _ = c.Write(chunk)
		}
		if len(c.lines.rest) > maxLine {
			t.Errorf("holds %d bytes of a line", len(c.lines.rest))
		}
		_, _ = c.Write([]byte("\nGeneration 7 is current.\n"))
		if c.current != 7 {
			t.Errorf("current %d, want 7", c.current)
		}
	})
}
