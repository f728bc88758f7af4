package generations

import (
	"bytes"
	"crypto/sha256"
	"io"
	"strings"
	"testing"
)

// sizedReader is a file as Open hands it out: its content and the size
// it had when opened; reads counts the reads asked of it.
type sizedReader struct {
	r     io.Reader
	size  int64
	reads int
}

func (s *sizedReader) Read(p []byte) (int, error) { s.reads++; return s.r.Read(p) }
func (s *sizedReader) Size() int64                { return s.size }

// A copy through a hashReader stops at the size its file had when opened
// without one more read, when the last read was short; it reads on to
// the end when the size is unknown (0, as /proc files say) or when the
// last read filled the buffer.
func TestHashReaderStopsAtSize(t *testing.T) {
	for _, tc := range []struct {
		name    string
		content string
		size    int64
		want    string
		reads   int
	}{
		{"size known", "hello\n", 6, "hello\n", 1},
		{"grew since opened", "hello\nmore\n", 6, "hello\nmore\n", 2}, // one read returns all 11 bytes: not size
		{"size unknown", "hello\n", 0, "hello\n", 2},
		{"shrank since opened", "hi\n", 6, "hi\n", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := &sizedReader{r: strings.NewReader(tc.content), size: tc.size}
			h := sha256.New()
			hr := newHashReader(src, h)
			var out bytes.Buffer
			if _, err := io.Copy(&out, hr); err != nil {
				t.Fatal(err)
			}
			// What a Write does after the copy: read the rest.
			if n, err := io.Copy(io.Discard, hr); n != 0 || err != nil {
				t.Errorf("rest: %d bytes, %v", n, err)
			}
			if out.String() != tc.want || src.reads != tc.reads {
				t.Errorf("copied %q in %d reads, want %q in %d", out.String(), src.reads, tc.want, tc.reads)
			}
			if got, want := h.Sum(nil), sha256.Sum256([]byte(tc.want)); !bytes.Equal(got, want[:]) {
				t.Errorf("hash of %q, want of %q", got, tc.want)
			}
		})
	}
	// A read that fills the buffer exactly at the size is not taken as
	// the end: the file may go on.
	big := strings.Repeat("x", 32<<10)
	src := &sizedReader{r: strings.NewReader(big + "tail"), size: 32 << 10}
	var out bytes.Buffer
	if _, err := io.Copy(&out, newHashReader(src, sha256.New())); err != nil || out.Len() != len(big)+4 {
		t.Errorf("copied %d bytes, %v; want %d", out.Len(), err, len(big)+4)
	}
}
