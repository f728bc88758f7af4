package main

import (
	"testing"

	"github.com/gocfg/gocfg/platform/contentdiff"
)

// TestInsertWholeContentDiffs: the diff of a created file goes under its
// "+" line, a deleted file's under its "-" line.
func TestInsertWholeContentDiffs(t *testing.T) {
	tests := []struct {
		name, text, want string
		color            bool
	}{
		{"created", "  + file:~alice/.new  link, content 1\n", "  + file:~alice/.new  link, content 1\n    +n\n", false},
		{"deleted", "  - file:~alice/.old  link, content 2\n", "  - file:~alice/.old  link, content 2\n    -o\n", false},
		{"hidden", "  - file:~alice/.netrc  file 0600\n", "  - file:~alice/.netrc  file 0600\n    content removed (private file, not shown)\n", false},
		{"coloured mark", "  \x1b[32m+\x1b[0m file:~alice/.new\n", "  \x1b[32m+\x1b[0m file:~alice/.new\n    \x1b[32m+n\x1b[0m\n", true},
		{"other line", "  ! file:~alice/.new\n", "  ! file:~alice/.new\n", false},
	}
	diffs := map[string]*contentdiff.Diff{
		"file:~alice/.new":   {Lines: []string{"+n"}, Added: 1, File: contentdiff.NewFile},
		"file:~alice/.old":   {Lines: []string{"-o"}, Removed: 1, File: contentdiff.DeletedFile},
		"file:~alice/.netrc": contentdiff.Hide(contentdiff.Private).Of(contentdiff.DeletedFile),
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(insertContentDiffs([]byte(tt.text), diffs, tt.color)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
