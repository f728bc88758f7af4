package contentdiff_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/contentdiff"
)

func TestCreatedDeleted(t *testing.T) {
	var long strings.Builder
	for i := range 100 {
		fmt.Fprintf(&long, "%d\n", i)
	}
	tests := []struct {
		name     string
		diff     func([]byte) *contentdiff.Diff
		content  string
		file     string
		want     []string
		add, rem int
		cut      int
		hidden   string
	}{
		{"created", contentdiff.Created, "a\nb\n", contentdiff.NewFile, []string{"@@ -0,0 +1,2 @@", "+a", "+b"}, 2, 0, 0, ""},
		{"deleted", contentdiff.Deleted, "a\nb\n", contentdiff.DeletedFile, []string{"@@ -1,2 +0,0 @@", "-a", "-b"}, 0, 2, 0, ""},
		{"created without a last newline", contentdiff.Created, "a", contentdiff.NewFile, []string{"@@ -0,0 +1 @@", "+a", `\ No newline at end of file`}, 1, 0, 0, ""},
		{"created long, cut", contentdiff.Created, long.String(), contentdiff.NewFile, nil, 100, 0, 101 - contentdiff.MaxLines, ""},
		{"deleted long, cut", contentdiff.Deleted, long.String(), contentdiff.DeletedFile, nil, 0, 100, 101 - contentdiff.MaxLines, ""},
		{"created binary", contentdiff.Created, "a\x00b", contentdiff.NewFile, nil, 0, 0, 0, contentdiff.Binary},
		{"deleted binary", contentdiff.Deleted, "\xff\xfe", contentdiff.DeletedFile, nil, 0, 0, 0, contentdiff.Binary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.diff([]byte(tt.content))
			if d == nil {
				t.Fatal("diff = nil, want one")
			}
			if d.File != tt.file || d.Added != tt.add || d.Removed != tt.rem || d.Cut != tt.cut || d.Hidden != tt.hidden {
				t.Errorf("file %q added %d removed %d cut %d hidden %q, want %q %d %d %d %q",
					d.File, d.Added, d.Removed, d.Cut, d.Hidden, tt.file, tt.add, tt.rem, tt.cut, tt.hidden)
			}
			if tt.want != nil {
				if got, want := strings.Join(d.Lines, "\n"), strings.Join(tt.want, "\n"); got != want {
					t.Errorf("lines:\n%s\nwant:\n%s", got, want)
				}
			}
			if tt.cut > 0 && len(d.Lines) != contentdiff.MaxLines {
				t.Errorf("%d lines, want %d", len(d.Lines), contentdiff.MaxLines)
			}
		})
	}
}

func TestCreatedDeletedEmpty(t *testing.T) {
	if d := contentdiff.Created(nil); d != nil {
		t.Errorf("Created(empty) = %+v, want nil", d)
	}
	if d := contentdiff.Deleted([]byte{}); d != nil {
		t.Errorf("Deleted(empty) = %+v, want nil", d)
	}
}

func TestOf(t *testing.T) {
	if d := contentdiff.Hide(contentdiff.Private).Of(contentdiff.NewFile); d.File != contentdiff.NewFile || d.Hidden != contentdiff.Private {
		t.Errorf("Hide(Private).Of(NewFile) = %+v", d)
	}
	var d *contentdiff.Diff
	if d.Of(contentdiff.DeletedFile) != nil {
		t.Error("nil.Of = non-nil, want nil")
	}
}
