package sizedread

import "io"

// A Reader reads from r as r reads, except that a short read that
// brings what was read to the size r's file had when it was opened is
// the end: the next Read returns io.EOF without asking r. Once r said
// io.EOF it is not asked again either.
type Reader struct {
	r io.Reader
	// size, when above 0, is the size r says (Size); 0 (a /proc file's
	// size, or no Size method) reads to r's io.EOF.
	size int64
	read int64
	eof  bool
}

// New returns a Reader of r, which knows where r ends when r has a
// method Size() int64 that says the size its file had when opened.
func New(r io.Reader) *Reader {
	s := &Reader{r: r}
	if sz, ok := r.(interface{ Size() int64 }); ok {
		s.size = sz.Size()
	}
	return s
}

// Read reads from r (see Reader).
func (s *Reader) Read(p []byte) (int, error) {
	if s.eof {
		return 0, io.EOF
	}
	n, err := s.r.Read(p)
	s.read += int64(n)
	s.eof = err == io.EOF || err == nil && s.size > 0 && s.read == s.size && n < len(p)
	return n, err
}
