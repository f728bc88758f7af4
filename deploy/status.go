package deploy

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"

	json "github.com/goccy/go-json"
)

// ParseStatus reads a status line of deploy-agent --follow: StatusPrefix
// and the Status as JSON. ok is false for any other line.
func ParseStatus(line string) (st Status, ok bool, err error) {
	js, ok := strings.CutPrefix(strings.TrimRight(line, "\r\n"), StatusPrefix)
	if !ok {
		return Status{}, false, nil
	}
	if err := json.Unmarshal([]byte(js), &st); err != nil {
		return Status{}, true, fmt.Errorf("the agent's status %q: %w", js, err)
	}
	switch st.State {
	case StateRunning, StateAwaiting, StateSwitched, StateNoChanges, StateFailed, StateRolledBack:
	default:
		return st, true, fmt.Errorf("the agent's status: unknown state %q", st.State)
	}
	return st, true, nil
}

// Final reports whether a state is the end of a deploy.
func Final(state string) bool {
	switch state {
	case StateSwitched, StateNoChanges, StateFailed, StateRolledBack:
		return true
	}
	return false
}

// follower reads deploy-agent --follow's output: the log's lines go on to
// w, and are counted (the byte offset in the log to resume --follow
// from); a status line is held until another line comes after it (then
// it was part of the log) or the output ends (then it is the status).
type follower struct {
	mu      sync.Mutex
	w       io.Writer
	seen    int64  // bytes of the log passed on
	lines   lines  // the line without its newline yet
	pending []byte // a status line, with its newline
	// overlong: a status line went past maxStatusLine; what is left of
	// it is dropped until its newline. tooLong: one did; end says so.
	overlong, tooLong bool
}

func (f *follower) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lines.add(p, func(l []byte) {
		if f.overlong {
			// The end of a status line too long to be one.
			f.overlong = false
			return
		}
		line := append([]byte(nil), l...)
		f.flushPending()
		if bytes.HasPrefix(line, []byte(StatusPrefix)) {
			f.pending = line
			return
		}
		f.pass(line)
	})
	// A line that never ends is passed on in pieces, and counted, rather
	// than held (tester AS: 500 MB without a newline took 2 GB, and
	// each reconnect read it again from its start). A status line is
	// held up to maxStatusLine; a longer one is no status (the agent
	// writes none that long), and fails the follow rather than pass as
	// the log's (reviewer R16: the host was then followed again and
	// again, and reported unreachable).
	rest := f.lines.rest
	switch {
	case len(rest) < maxLine:
	case bytes.HasPrefix(rest, []byte(StatusPrefix)) && len(rest) < maxStatusLine:
	case bytes.HasPrefix(rest, []byte(StatusPrefix)) || f.overlong:
		f.overlong, f.tooLong = true, true
		f.lines.rest = rest[:0]
	default:
		f.flushPending()
		f.pass(append([]byte(nil), rest...))
		f.lines.rest = rest[:0]
	}
	return len(p), nil
}

// maxStatusLine bounds a status line (its error may hold a unit's
// journal).
const maxStatusLine = 1 << 20

func (f *follower) pass(line []byte) {
	f.seen += int64(len(line))
	_, _ = f.w.Write(line)
}

func (f *follower) flushPending() {
	if f.pending != nil {
		f.pass(f.pending)
		f.pending = nil
	}
}

// end is called when the output ended: the status, if the last line was
// one. A partial last line of the log is dropped, not counted: the next
// --follow --from the bytes seen prints it again, whole.
func (f *follower) end() (st Status, ok bool, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.tooLong {
		return Status{}, false, fmt.Errorf("the host printed a status line of over %d bytes, which gocfg deploy-agent never writes", maxStatusLine)
	}
	if partial := f.lines.rest; len(partial) > 0 {
		f.flushPending()
		if bytes.HasPrefix(partial, []byte(StatusPrefix)) {
			f.pending = partial
		}
		f.lines.rest = nil
	}
	if f.pending == nil {
		return Status{}, false, nil
	}
	line := string(f.pending)
	f.pending = nil
	return ParseStatus(line)
}
