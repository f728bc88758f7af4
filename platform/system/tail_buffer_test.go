package system

import (
	"strings"
	"testing"
)

func TestTailBuffer(t *testing.T) {
	for _, tc := range []struct {
		name   string
		writes []string
		want   string
	}{
		{"nothing", nil, ""},
		{"under the bound", []string{"ab\n", "cd\n"}, "ab\ncd\n"},
		{"exactly the bound", []string{"0123456789"}, "0123456789"},
		{"one write over it, cut at its next line", []string{"0123\n56789xy\n"}, "[5 bytes of output before this not kept]\n56789xy\n"},
		{"many small writes", []string{"aaaa\n", "bbbb\n", "cccc\n", "dddd\n", "e\n"}, "[15 bytes of output before this not kept]\ndddd\ne\n"},
		{"no line break in what is kept", []string{"xxxxxxxxxxxxxxxx", "0123456789"}, "[16 bytes of output before this not kept]\n0123456789"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := &tailBuffer{max: 10}
			for _, w := range tc.writes {
				if n, err := b.Write([]byte(w)); n != len(w) || err != nil {
					t.Fatalf("Write(%q) = %d, %v", w, n, err)
				}
				if len(b.buf) > 2*b.max {
					t.Fatalf("holds %d bytes, more than twice its bound", len(b.buf))
				}
			}
			if got := string(b.Bytes()); got != tc.want {
				t.Errorf("Bytes() = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestTailBufferLargeOutput: a large output in small writes keeps its
// last bytes and never holds more than twice the bound.
func TestTailBufferLargeOutput(t *testing.T) {
	b := &tailBuffer{max: 1 << 10}
	line := strings.Repeat("x", 99) + "\n"
	for range 100000 {
		b.Write([]byte(line))
		if len(b.buf) > 2*b.max {
			t.Fatalf("holds %d bytes", len(b.buf))
		}
	}
	b.Write([]byte("end\n"))
	got := string(b.Bytes())
	if !strings.HasSuffix(got, line+"end\n") || !strings.HasPrefix(got, "[") || len(got) > b.max+60 {
		t.Errorf("Bytes() = %.80q… (%d bytes)", got, len(got))
	}
}
