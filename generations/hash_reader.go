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
	// size, when above 0, is the size r's file had when it was opened
	// (system.Sized): a short read that brings what was read to size is
	// taken as the end, without one more read(2) to find it (10,000 for
	// 10,000 stored files). What was read is checked against the entry's
	// hash afterwards, so a file that grew since is stored only if its
	// first size bytes are the content asked for.
	size int64
	read int64
}

// newHashReader returns a hashReader of r into h, which knows where r
// ends when r says its size.
func newHashReader(r io.Reader, h hash.Hash) *hashReader {
	hr := &hashReader{r: r, h: h}
	if s, ok := r.(interface{ Size() int64 }); ok {
		hr.size = s.Size()
	}
	return hr
}

// got records n bytes read by a read of a buffer of len buf, and says
// whether that was the end (see size).
func (hr *hashReader) got(n, buf int) bool {
	hr.read += int64(n)
	return hr.size > 0 && hr.read == hr.size && n < buf
}

// Read reads from r and hashes what it read.
func (hr *hashReader) Read(p []byte) (int, error) {
	if hr.eof {
		return 0, io.EOF
	}
	n, err := hr.r.Read(p)
	hr.h.Write(p[:n])
	hr.eof = err == io.EOF || err == nil && hr.got(n, len(p))
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
		if err == io.EOF || err == nil && hr.got(n, len(buf)) {
			hr.eof = true
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}
