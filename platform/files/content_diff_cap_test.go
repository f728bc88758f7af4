package files

import (
	"fmt"
	"strings"
	"testing"
)

// TestContentDiffsCapped: a plan shows the content of at most
// MaxContentDiffs files, and says how many more it does not show.
func TestContentDiffsCapped(t *testing.T) {
	fx := newFixture(t)
	hf := map[string]HomeFile{}
	for i := range MaxContentDiffs + 3 {
		hf[fmt.Sprintf(".f%03d", i)] = text(fmt.Sprintf("line %d\n", i))
	}
	plan, _, err := fx.plan(home(hf))
	if err != nil {
		t.Fatal(err)
	}
	diffs := 0
	for _, ch := range plan.Changes {
		if ch.Diff != nil {
			diffs++
		}
	}
	if diffs != MaxContentDiffs {
		t.Errorf("%d files' content shown, want %d", diffs, MaxContentDiffs)
	}
	want := fmt.Sprintf("files: the content of 3 more files that change is not shown (a plan shows at most %d files' content)", MaxContentDiffs)
	if !strings.Contains(strings.Join(plan.Notes, "\n"), want) {
		t.Errorf("notes %q lack %q", plan.Notes, want)
	}
}
