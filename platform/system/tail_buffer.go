package system

import (
	"bytes"
	"strconv"
)

// A tailBuffer keeps the last max bytes written to it, for the output of
// a command whose writer chooses its size (another account's hook).
// Writes never fail, so the command is not stopped by a broken pipe;
// what it cost is a copy now and then, never more than 2×max bytes held.
type tailBuffer struct {
	max     int
	buf     []byte
	dropped int64
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	n := len(p)
	if len(p) >= b.max {
		b.dropped += int64(len(b.buf) + len(p) - b.max)
		b.buf = append(b.buf[:0], p[len(p)-b.max:]...)
		return n, nil
	}
	b.buf = append(b.buf, p...)
	if len(b.buf) > 2*b.max {
		cut := len(b.buf) - b.max
		b.dropped += int64(cut)
		b.buf = b.buf[:copy(b.buf, b.buf[cut:])]
	}
	return n, nil
}

// Bytes returns the last max bytes written. When earlier ones were
// dropped, they start with a line that says how many, and what is kept
// starts at a line's start, so that no line is shown cut.
func (b *tailBuffer) Bytes() []byte {
	kept, dropped := b.buf, b.dropped
	if len(kept) > b.max {
		dropped += int64(len(kept) - b.max)
		kept = kept[len(kept)-b.max:]
	}
	if dropped == 0 {
		return kept
	}
	if i := bytes.IndexByte(kept, '\n'); i >= 0 {
		dropped += int64(i + 1)
		kept = kept[i+1:]
	}
	head := "[" + strconv.FormatInt(dropped, 10) + " bytes of output before this not kept]\n"
	return append([]byte(head), kept...)
}
