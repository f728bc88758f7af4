package deploy

import (
	"bytes"
	"fmt"
	"strings"
)

// tailBuffer keeps the last max bytes written to it, and counts the
// rest. Everything gocfg reads of what a host prints goes through one,
// or through a writer that passes lines on with a bound (Prefixed,
// follower): the host chooses what it prints (tester AS: a gigabyte in
// answer to the probe took 4 GB of the deploying machine's memory, and
// as much again was held for a line without a newline).
type tailBuffer struct {
	max int
	// whole: the buffer is read with whole, and keeps the first max
	// bytes (the rest is an error anyway) rather than slide along.
	whole   bool
	b       []byte
	dropped int64
}

// The bounds of what gocfg keeps of a host's output: a message's last
// lines (stderr, the probe's and the way check's answers), and a JSON
// answer read whole (generations list; --missing's is bounded by what
// it answers about).
const (
	tailMessage = 64 << 10
	tailJSON    = 16 << 20
)

func (t *tailBuffer) Write(p []byte) (int, error) {
	if t.whole {
		keep := min(len(p), max(t.max-len(t.b), 0))
		t.b = append(t.b, p[:keep]...)
		t.dropped += int64(len(p) - keep)
		return len(p), nil
	}
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.dropped += int64(len(t.b) - t.max)
		t.b = t.b[len(t.b)-t.max:]
	}
	return len(p), nil
}

// String is what the buffer keeps.
func (t *tailBuffer) String() string { return string(t.b) }

// all is all that was written, or an error that says it was more than
// the buffer keeps.
func (t *tailBuffer) all(what string) ([]byte, error) {
	if t.dropped > 0 {
		return nil, fmt.Errorf("%s: the host printed %d bytes, more than the %d gocfg reads", what, t.dropped+int64(len(t.b)), t.max)
	}
	return t.b, nil
}

// lastGocfgError is the last "gocfg: error: " line, without that
// prefix ("" for none).
func (t *tailBuffer) lastGocfgError() string {
	var e string
	for _, l := range strings.Split(string(bytes.ToValidUTF8(t.b, nil)), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(l), "gocfg: error: "); ok {
			e = rest
		}
	}
	return e
}

// lastLine is the last line that is not empty.
func (t *tailBuffer) lastLine() string {
	lines := strings.Split(strings.TrimRight(string(bytes.ToValidUTF8(t.b, nil)), "\r\n"), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
