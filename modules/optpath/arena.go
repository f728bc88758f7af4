package optpath

// An Arena hands out paths carved from shared arrays, for the many short
// paths of an evaluation (one per definition and per node): one
// allocation for hundreds of them instead of one each. Every path it
// returns has its capacity clipped to its length, so appending to it
// copies, as Path.Append's results do; its elements must not be written.
// The zero Arena is ready to use. It is not safe for concurrent use.
type Arena struct {
	buf []string
}

// arenaChunk is how many keys an Arena's array holds.
const arenaChunk = 1024

// Append returns p with key added, in a new array shared only with
// other paths of a.
func (a *Arena) Append(p Path, key string) Path {
	n := len(p) + 1
	if cap(a.buf)-len(a.buf) < n {
		a.buf = make([]string, 0, max(arenaChunk, n))
	}
	start := len(a.buf)
	a.buf = append(append(a.buf, p...), key)
	return a.buf[start:len(a.buf):len(a.buf)]
}
