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
// lines. A write beyond the room reserved cuts the fill and goes on
// with write(2), in order.
func TestMapLog(t *testing.T) {
	type step struct {
		write []string
		want  string // the file after the writes
	}
	for _, tc := range []struct {
		name  string
		size  int64
		steps []step
	}{
		{"within its room", 32, []step{
			{nil, strings.Repeat(" ", 32)},
			{[]string{"done 0\n", "done 1\n"}, "done 0\ndone 1\n" + strings.Repeat(" ", 32-14)},
		}},
		{"beyond it", 10, []step{
			{[]string{"done 0\n"}, "done 0\n   "},
			{[]string{"done 1\n", "flipped\n"}, "done 0\ndone 1\nflipped\n"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, f := openLog(t)
			w := MapLog(f, tc.size, ' ')
			if _, ok := w.(*mappedLog); !ok {
				t.Fatalf("MapLog returned %T, want a mapped log", w)
			}
			for _, st := range tc.steps {
				writeLines(t, w, st.write...)
				assertFile(t, p, st.want, 0o600)
				// The engine syncs it before a step whose undo cannot
				// tell whether it ran (platform.SelfChecking).
				if err := w.(interface{ Sync() error }).Sync(); err != nil {
					t.Fatalf("Sync: %v", err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			assertFile(t, p, strings.TrimRight(tc.steps[len(tc.steps)-1].want, " "), 0o600)
		})
	}
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
	// Nor is it taken for synced.
	if err := w.(interface{ Sync() error }).Sync(); err == nil || !strings.Contains(err.Error(), p) {
		t.Fatalf("Sync after the fault: %v, want an error naming %s", err, p)
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
	assertFile(t, p, "done 0\n", 0o600)
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
	assertFile(t, q, "", 0o600)
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
