package system

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// openLog opens a fresh log file as OpenAppend does.
func openLog(t *testing.T) (string, *os.File) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "journal.log")
	f, err := os.OpenFile(p, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	return p, f
}

func wantFile(t *testing.T, p, want string) {
	t.Helper()
	got, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("%s holds %q, want %q", p, got, want)
	}
}

func writeLines(t *testing.T, w io.Writer, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if n, err := io.WriteString(w, l); err != nil || n != len(l) {
			t.Fatalf("Write(%q) = %d, %v", l, n, err)
		}
	}
}

// TestMapLog: the lines are in the file as soon as they are written
// (what a reader of a killed writer's file sees: the page cache), the
// room not reached holds the fill, and Close cuts the file to the
// lines.
func TestMapLog(t *testing.T) {
	p, f := openLog(t)
	w := MapLog(f, 32, ' ')
	if _, ok := w.(*mappedLog); !ok {
		t.Fatalf("MapLog returned %T, want a mapped log", w)
	}
	wantFile(t, p, strings.Repeat(" ", 32))
	writeLines(t, w, "done 0\n", "done 1\n")
	wantFile(t, p, "done 0\ndone 1\n"+strings.Repeat(" ", 32-14))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	wantFile(t, p, "done 0\ndone 1\n")
}

// TestMapLogSpills: a write beyond the room reserved cuts the fill and
// goes on with write(2), in order.
func TestMapLogSpills(t *testing.T) {
	p, f := openLog(t)
	w := MapLog(f, 10, ' ')
	writeLines(t, w, "done 0\n")
	wantFile(t, p, "done 0\n   ")
	writeLines(t, w, "done 1\n", "flipped\n")
	wantFile(t, p, "done 0\ndone 1\nflipped\n")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	wantFile(t, p, "done 0\ndone 1\nflipped\n")
}

// TestMapLogFault: a file truncated under the mapping makes the write
// an error naming the file, and every later one too, not a crash.
func TestMapLogFault(t *testing.T) {
	p, f := openLog(t)
	w := MapLog(f, 8192, ' ')
	writeLines(t, w, "done 0\n")
	if err := os.Truncate(p, 0); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := w.Write([]byte("done 1\n")); err == nil || !strings.Contains(err.Error(), p) {
			t.Fatalf("Write after the truncation: %v, want an error naming %s", err, p)
		}
	}
	_ = w.Close()
}

// TestMapLogNotMapped: a writer that is not a file, a file that is not
// empty and a size out of range are returned as they are, and the file
// is unchanged.
func TestMapLogNotMapped(t *testing.T) {
	var buf nopCloser
	if w := MapLog(&buf, 64, ' '); w != io.WriteCloser(&buf) {
		t.Errorf("a buffer: MapLog returned %T", w)
	}
	p, f := openLog(t)
	writeLines(t, f, "done 0\n")
	if w := MapLog(f, 64, ' '); w != io.WriteCloser(f) {
		t.Errorf("a file that is not empty: MapLog returned %T", w)
	}
	wantFile(t, p, "done 0\n")
	// A file open for writing only cannot be mapped: the room reserved
	// for it is cut back.
	q := filepath.Join(t.TempDir(), "journal.log")
	wo, err := os.OpenFile(q, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if w := MapLog(wo, 64, ' '); w != io.WriteCloser(wo) {
		t.Errorf("a file open for writing only: MapLog returned %T", w)
	}
	wantFile(t, q, "")
	wo.Close()
	_, g := openLog(t)
	for _, size := range []int64{0, -1, maxMappedLog + 1} {
		if w := MapLog(g, size, ' '); w != io.WriteCloser(g) {
			t.Errorf("size %d: MapLog returned %T", size, w)
		}
	}
	f.Close()
	g.Close()
}

type nopCloser struct{ bytes.Buffer }

func (*nopCloser) Close() error { return nil }
