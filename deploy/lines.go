package deploy

import "bytes"

// lines gathers the bytes written to a host's output into whole lines,
// for the writers that pass a line on only once its newline has come.
type lines struct {
	rest []byte // the line whose newline has not come yet
}

// add appends b and calls f with each line it completes, its newline
// included. f may not keep line: its bytes are the buffer's.
func (l *lines) add(b []byte, f func(line []byte)) {
	l.rest = append(l.rest, b...)
	for {
		i := bytes.IndexByte(l.rest, '\n')
		if i < 0 {
			return
		}
		line := l.rest[:i+1]
		l.rest = l.rest[i+1:]
		f(line)
	}
}
