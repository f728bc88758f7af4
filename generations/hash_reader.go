package generations

import (
	"hash"
	"io"
	"sync"

	"github.com/gocfg/gocfg/internal/sizedread"
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
	// err is the error of a read of r (not io.EOF): a copy that failed
	// for it failed for its content, not for where it was written.
	err error
}

// newHashReader returns a hashReader of r into h, which knows where r
// ends when r says the size its file had when opened (sizedread): a
// short read that reaches it is the end, without one more read(2) to
// find it (10,000 for 10,000 stored files). What was read is checked
// against the entry's hash afterwards, so a file that grew since is
// stored only if its first size bytes are the content asked for.
func newHashReader(r io.Reader, h hash.Hash) *hashReader {
	return &hashReader{r: sizedread.New(r), h: h}
}

// Read reads from r and hashes what it read.
func (hr *hashReader) Read(p []byte) (int, error) {
	if hr.eof {
		return 0, io.EOF
	}
	n, err := hr.r.Read(p)
	hr.h.Write(p[:n])
	hr.eof = err == io.EOF
	if err != nil && !hr.eof {
		hr.err = err
	}
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
			hr.err = err
			return total, err
		}
	}
}
