package contentdiff_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/contentdiff"
)

func TestCompare(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     []string
		add, rem int
	}{
		{"one line changed", "export A=1\nexport B=2\n", "export A=1\nexport B=3\n",
			[]string{"@@ -1,2 +1,2 @@", " export A=1", "-export B=2", "+export B=3"}, 1, 1},
		{"from empty", "", "a\nb\n", []string{"@@ -0,0 +1,2 @@", "+a", "+b"}, 2, 0},
		{"to empty", "a\n", "", []string{"@@ -1 +0,0 @@", "-a"}, 0, 1},
		{"no newline at end", "a\nb", "a\nc", []string{"@@ -1,2 +1,2 @@", " a", "-b", `\ No newline at end of file`, "+c", `\ No newline at end of file`}, 1, 1},
		{"newline added", "a", "a\n", []string{"@@ -1 +1 @@", "-a", `\ No newline at end of file`, "+a"}, 1, 1},
		{"two hunks", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "1\nX\n3\n4\n5\n6\n7\n8\n9\n10\nY\n12\n",
			[]string{"@@ -1,5 +1,5 @@", " 1", "-2", "+X", " 3", " 4", " 5", "@@ -8,5 +8,5 @@", " 8", " 9", " 10", "-11", "+Y", " 12"}, 2, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := contentdiff.Compare([]byte(tt.old), []byte(tt.new))
			if d == nil {
				t.Fatal("Compare = nil, want a diff")
			}
			if got, want := strings.Join(d.Lines, "\n"), strings.Join(tt.want, "\n"); got != want {
				t.Errorf("lines:\n%s\nwant:\n%s", got, want)
			}
			if d.Added != tt.add || d.Removed != tt.rem || d.Cut != 0 || d.Hidden != "" {
				t.Errorf("added %d removed %d cut %d hidden %q, want %d %d 0 \"\"", d.Added, d.Removed, d.Cut, d.Hidden, tt.add, tt.rem)
			}
		})
	}
}

func TestCompareEqual(t *testing.T) {
	if d := contentdiff.Compare([]byte("a\n"), []byte("a\n")); d != nil {
		t.Errorf("Compare of equal contents = %+v, want nil", d)
	}
}

func TestCompareCut(t *testing.T) {
	var old, new strings.Builder
	for i := range 100 {
		fmt.Fprintf(&old, "line %d\n", i)
		fmt.Fprintf(&new, "LINE %d\n", i)
	}
	d := contentdiff.Compare([]byte(old.String()), []byte(new.String()))
	// One hunk: a header, 100 lines removed, 100 added.
	if len(d.Lines) != contentdiff.MaxLines || d.Cut != 201-contentdiff.MaxLines {
		t.Errorf("%d lines, %d cut; want %d and %d", len(d.Lines), d.Cut, contentdiff.MaxLines, 201-contentdiff.MaxLines)
	}
	if d.Added != 100 || d.Removed != 100 {
		t.Errorf("added %d removed %d, want 100 100", d.Added, d.Removed)
	}
}

func TestCompareHidden(t *testing.T) {
	big := make([]byte, contentdiff.MaxSize+1)
	for i := range big {
		big[i] = 'a'
	}
	tests := []struct {
		name     string
		old, new []byte
		want     string
	}{
		{"NUL", []byte("a\n"), []byte("a\x00b\n"), contentdiff.Binary},
		{"not UTF-8", []byte("\xff\xfe"), []byte("a\n"), contentdiff.Binary},
		{"too large", []byte("a\n"), big, contentdiff.TooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := contentdiff.Compare(tt.old, tt.new)
			if d == nil || d.Hidden != tt.want || len(d.Lines) != 0 {
				t.Errorf("Compare = %+v, want hidden %q", d, tt.want)
			}
		})
	}
}

func TestIsBinary(t *testing.T) {
	for s, want := range map[string]bool{"": false, "text\n": false, "tab\there\n": false, "é\n": false, "\x00": true, "\xc3": true} {
		if got := contentdiff.IsBinary([]byte(s)); got != want {
			t.Errorf("IsBinary(%q) = %v, want %v", s, got, want)
		}
	}
}
