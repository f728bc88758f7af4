package generations

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// TestCacheFile: a line cache is written whole, private, its header
// first and a line per key in sorted order ending with the key quoted;
// it reads back line by line; a missing file, or one with another
// header, has no lines.
func TestCacheFile(t *testing.T) {
	dir := tempStoreDir(t)
	s := New(system.NewReal(), dir)
	cf := cacheFile{name: "test-cache", header: "gocfg test 1"}
	read := func() []string {
		var lines []string
		s.readCache(cf, func(line string) { lines = append(lines, line) })
		return lines
	}
	if got := read(); got != nil {
		t.Fatalf("a missing cache has lines %q", got)
	}
	m := map[string]int{"/b": 2, "/a\nnewline": 1}
	if !writeCache(s, cf, m, func(b []byte, v int) []byte { return strconv.AppendInt(b, int64(v), 10) }) {
		t.Fatal("not written")
	}
	fi, err := os.Stat(s.cachePath(cf))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("written as %v, %v; want mode 0600", fi, err)
	}
	want := []string{`1 "/a\nnewline"`, `2 "/b"`}
	if got := read(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("lines %q, want %q", got, want)
	}
	data, _ := os.ReadFile(s.cachePath(cf))
	if err := os.WriteFile(s.cachePath(cf), []byte("gocfg test 0"+string(data[len(cf.header):])), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := read(); got != nil {
		t.Errorf("a cache with another header has lines %q", got)
	}
}

// TestLineFields: the fields of a cache line are read in order, and a
// line is refused at its first missing or malformed field, or when it
// does not end with an absolute path, quoted.
func TestLineFields(t *testing.T) {
	hash := strings.Repeat("ab", 32)
	for _, tc := range []struct {
		line string
		want string // "" when refused
	}{
		{"-1 7 " + hash + ` "/home/alice"`, "/home/alice"},
		{"-1 7 " + hash + ` "/a b\n\"c\""`, "/a b\n\"c\""},
		{"-1 7 " + hash + ` "relative"`, ""},
		{"-1 7 " + hash + ` /home/alice`, ""},
		{"-1 7 short \"/x\"", ""},
		{"-1 -7 " + hash + ` "/x"`, ""}, // not a uint64
		{"x 7 " + hash + ` "/x"`, ""},
		{"-1 7 " + hash, ""},
		{"", ""},
	} {
		r := newLineFields(tc.line)
		n, u, h := r.int64(), r.uint64(), r.hash()
		p, ok := r.path()
		if ok != (tc.want != "") || ok && (p != tc.want || n != -1 || u != 7 || h != hash) {
			t.Errorf("%q: %d %d %q %q, %v; want %q", tc.line, n, u, h, p, ok, tc.want)
		}
	}
}
