package generations

import (
	"hash"
	"io"
	"sync"
)

// copyBuffers holds the buffers hashReader.WriteTo copies through, so that
// writing 10,000 files does not allocate 10,000 buffers.
var copyBuffers = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// A hashReader reads from r and adds what it reads to h. Once r said
// io.EOF it is not read again: checking that a copy read everything
// (io.Copy to io.Discard after it) then costs no read(2).
type hashReader struct {
	r   io.Reader
	h   hash.Hash
	eof bool
}

// Read reads from r and hashes what it read.
func (hr *hashReader) Read(p []byte) (int, error) {
	if hr.eof {
		return 0, io.EOF
	}
	n, err := hr.r.Read(p)
	hr.h.Write(p[:n])
	hr.eof = err == io.EOF
	return n, err
}

// WriteTo copies the rest of r to w through a pooled buffer, hashing it;
// io.Copy uses it.
func (hr *hashReader) WriteTo(w io.Writer) (int64, error) {
	if hr.eof {
		return 0, nil
	}
	bp := copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(bp)
	buf := *bp
	var total int64
	for {
		n, err := hr.r.Read(buf)
		if n > 0 {
			hr.h.Write(buf[:n])
			m, werr := w.Write(buf[:n])
			total += int64(m)
			if werr != nil {
				return total, werr
			}
			if m != n {
				return total, io.ErrShortWrite
			}
		}
		if err == io.EOF {
			hr.eof = true
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}
