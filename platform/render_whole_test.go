package platform

import (
	"testing"

	"github.com/gocfg/gocfg/platform/contentdiff"
)

// TestViewPlanWholeDiff: a created file's content shows as added lines
// under its + line, a deleted file's as removed lines under its - line.
func TestViewPlanWholeDiff(t *testing.T) {
	p := &Plan{Changes: []Change{
		{ID: "file:~alice/.new", Kind: "file", Action: Create, After: "content 1", Diff: contentdiff.Created([]byte("a\nb\n"))},
		{ID: "file:~alice/.old", Kind: "file", Action: Delete, Before: "content 2", Diff: contentdiff.Deleted([]byte("c\n"))},
	}}
	checkPlanView(t, p, `gocfg switch would make these changes:

  + file:~alice/.new  content 1
    @@ -0,0 +1,2 @@
    +a
    +b
  - file:~alice/.old  content 2
    @@ -1 +0,0 @@
    -c

Plan: 1 to add, 0 to change, 1 to remove.
`)
}

func TestViewWholeDiffHidden(t *testing.T) {
	checkDiffViews(t, []diffViewCase{
		{"changed", contentdiff.Hide(contentdiff.Private), false, "  content changed (private file, not shown)\n"},
		{"created private", contentdiff.Hide(contentdiff.Private).Of(contentdiff.NewFile), false, "  new content (private file, not shown)\n"},
		{"created binary", contentdiff.Created([]byte("\x00")), false, "  new content (binary, not shown)\n"},
		{"deleted sensitive", contentdiff.Hide(contentdiff.Sensitive).Of(contentdiff.DeletedFile), false, "  content removed (looks sensitive, not shown)\n"},
		{"deleted too large", contentdiff.Hide(contentdiff.TooLarge).Of(contentdiff.DeletedFile), false, "  content removed (too large to show)\n"},
	})
}

func TestPlanJSONWholeDiff(t *testing.T) {
	p := &Plan{Changes: []Change{{ID: "file:/etc/motd", Kind: "file", Action: Create, Diff: contentdiff.Created([]byte("hi\n"))}}}
	checkPlanJSON(t, p, `"diff": {`, `"+hi"`, `"added": 1,`, `"removed": 0,`, `"file": "new"`)
}
