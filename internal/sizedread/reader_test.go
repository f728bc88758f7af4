package sizedread

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// file is a file as platform/system's readers hand it out: its content,
// read at most step bytes at a time (0: as much as asked), and the size
// it had when opened (Size); reads counts the reads asked of it.
type file struct {
	r     io.Reader
	step  int
	size  int64
	reads int
}

func (f *file) Read(p []byte) (int, error) {
	f.reads++
	if f.step > 0 && len(p) > f.step {
		p = p[:f.step]
	}
	return f.r.Read(p)
}

func (f *file) Size() int64 { return f.size }

// noSize is a reader that says no size.
type noSize struct{ f *file }

func (n noSize) Read(p []byte) (int, error) { return n.f.Read(p) }

// TestReader: read through io.ReadAll, io.ReadFull and io.Copy, a
// Reader gives all of the content and asks its file for no read after a
// short one that reached the size the file had when opened; it reads to
// the file's io.EOF when the size is unknown, when the file grew or
// shrank since, or when the reads were short before the size.
func TestReader(t *testing.T) {
	for _, tc := range []struct {
		name    string
		content string
		size    int64
		step    int
		noSize  bool
		buf     int // ReadFull's buffer (0: ReadAll)
		reads   int // reads asked of the file
	}{
		{"size known", "hello\n", 6, 0, false, 7, 1},
		{"size known, short reads", "hello\n", 6, 2, false, 7, 3},
		{"grew since opened", "hello\nmore\n", 6, 0, false, 12, 2},
		{"grew past the buffer", "hello\nmore\n", 6, 0, false, 7, 1},
		{"shrank since opened", "hi\n", 6, 0, false, 7, 2},
		{"size 0 (a /proc file)", "hello\n", 0, 0, false, 7, 2},
		{"no Size method", "hello\n", 6, 0, true, 7, 2},
		{"buffer filled exactly", "hello\n", 6, 0, false, 6, 1},
		{"empty file", "", 0, 0, false, 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &file{r: strings.NewReader(tc.content), step: tc.step, size: tc.size}
			var r io.Reader = f
			if tc.noSize {
				r = noSize{f}
			}
			buf := make([]byte, tc.buf)
			n, err := io.ReadFull(New(r), buf)
			if got, wantRead := string(buf[:n]), tc.content[:min(len(tc.content), tc.buf)]; got != wantRead {
				t.Errorf("read %q, want %q (err %v)", got, wantRead, err)
			}
			want := io.ErrUnexpectedEOF
			switch {
			case len(tc.content) >= tc.buf:
				want = nil
			case tc.content == "":
				want = io.EOF
			}
			if err != want {
				t.Errorf("ReadFull: %v, want %v", err, want)
			}
			if f.reads != tc.reads {
				t.Errorf("%d reads of the file, want %d", f.reads, tc.reads)
			}
		})
	}
}

// TestReaderCopy: io.Copy through a Reader copies everything and stops
// asking at the end; a Read after the end says io.EOF again without a
// read of the file.
func TestReaderCopy(t *testing.T) {
	f := &file{r: strings.NewReader("0123456789"), step: 4, size: 10}
	r := New(f)
	var out bytes.Buffer
	if _, err := io.Copy(&out, r); err != nil || out.String() != "0123456789" {
		t.Fatalf("copied %q, %v", out.String(), err)
	}
	if f.reads != 3 {
		t.Errorf("%d reads of the file, want 3 (4 + 4 + 2, the last short at the size)", f.reads)
	}
	if n, err := r.Read(make([]byte, 8)); n != 0 || err != io.EOF || f.reads != 3 {
		t.Errorf("Read after the end: %d, %v, %d reads; want 0, EOF, 3", n, err, f.reads)
	}
}
