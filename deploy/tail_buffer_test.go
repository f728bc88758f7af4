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
		if _, err := tb.whole("an answer"); err == nil || !strings.Contains(err.Error(), "an answer: the host printed 10485769 bytes, more than the 1024 gocfg reads") {
			t.Errorf("whole: %v", err)
		}
		small := &tailBuffer{max: 1 << 10}
		_, _ = small.Write([]byte(`["a"]`))
		if b, err := small.whole("an answer"); err != nil || string(b) != `["a"]` {
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
