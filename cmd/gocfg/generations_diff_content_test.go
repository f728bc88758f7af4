package main

import (
	"testing"

	"github.com/gocfg/gocfg/platform/contentdiff"
)

func TestInsertContentDiffs(t *testing.T) {
	text := "From generation 1 to 2:\n\n" +
		"  ~ file:~alice/my file  content 1 → content 2\n" +
		"  ~ file:~alice/my       content 3 → content 4\n" +
		"  ~ \x1b[33m~\x1b[0m\n" +
		"\nDifferences: 0 added, 2 changed, 0 removed.\n"
	diffs := map[string]*contentdiff.Diff{
		"file:~alice/my":      {Lines: []string{"-a", "+b"}},
		"file:~alice/my file": contentdiff.Hide(contentdiff.Private),
	}
	want := "From generation 1 to 2:\n\n" +
		"  ~ file:~alice/my file  content 1 → content 2\n" +
		"    content changed (private file, not shown)\n" +
		"  ~ file:~alice/my       content 3 → content 4\n" +
		"    -a\n    +b\n" +
		"  ~ \x1b[33m~\x1b[0m\n" +
		"\nDifferences: 0 added, 2 changed, 0 removed.\n"
	if got := string(insertContentDiffs([]byte(text), diffs, false)); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	// Coloured: the symbol's escapes do not hide the ID.
	colored := "  \x1b[33m~\x1b[0m file:~alice/my  content 3 → content 4\n"
	if got := string(insertContentDiffs([]byte(colored), diffs, true)); got != colored+"    \x1b[31m-a\x1b[0m\n    \x1b[32m+b\x1b[0m\n" {
		t.Errorf("coloured: %q", got)
	}
}
