package platform

import (
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/contentdiff"
)

// checkPlanView checks that p shows as want in gocfg switch.
func checkPlanView(t *testing.T, p *Plan, want string) {
	t.Helper()
	var b strings.Builder
	if err := (View{Out: &b}).Plan(p, "gocfg switch would make these changes:"); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// diffViewCase is a content diff and how View shows it, indented by two
// spaces, with colour or without.
type diffViewCase struct {
	name  string
	d     *contentdiff.Diff
	color bool
	want  string
}

// checkDiffViews checks each case in a subtest of its name: the tables
// of changed and of whole-file diffs run the same check.
func checkDiffViews(t *testing.T, tests []diffViewCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			View{Color: tt.color}.Diff(&b, tt.d, "  ")
			if got := b.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// checkPlanJSON checks that p's JSON holds each of wants.
func checkPlanJSON(t *testing.T, p *Plan, wants ...string) {
	t.Helper()
	var b strings.Builder
	if err := WriteJSON(&b, NewPlanJSON(p)); err != nil {
		t.Fatal(err)
	}
	for _, want := range wants {
		if !strings.Contains(b.String(), want) {
			t.Errorf("JSON lacks %s:\n%s", want, b.String())
		}
	}
}

func TestViewPlanDiff(t *testing.T) {
	p := &Plan{Changes: []Change{
		{ID: "file:~alice/.profile", Kind: "file", Action: Update, Before: "content 1", After: "content 2",
			Diff: contentdiff.Compare([]byte("export A=1\nexport B=2\n"), []byte("export A=1\nexport B=3\n"))},
		{ID: "file:~alice/.netrc", Kind: "file", Action: Update, Before: "file 0600", After: "file 0600", Diff: contentdiff.Hide(contentdiff.Private)},
		{ID: "user:alice", Kind: "user", Action: Update, Before: "shell /bin/bash", After: "shell /bin/zsh"},
	}}
	checkPlanView(t, p, `gocfg switch would make these changes:

  ~ file:~alice/.netrc    file 0600 → file 0600
    content changed (private file, not shown)
  ~ file:~alice/.profile  content 1 → content 2
    @@ -1,2 +1,2 @@
     export A=1
    -export B=2
    +export B=3
  ~ user:alice            shell /bin/bash → shell /bin/zsh

Plan: 0 to add, 3 to change, 0 to remove.
`)
}

func TestViewDiff(t *testing.T) {
	checkDiffViews(t, []diffViewCase{
		{"colour", &contentdiff.Diff{Lines: []string{"@@ -1 +1 @@", " same", "-old", "+new"}}, true,
			"  \x1b[36m@@ -1 +1 @@\x1b[0m\n   same\n  \x1b[31m-old\x1b[0m\n  \x1b[32m+new\x1b[0m\n"},
		{"tabs kept, escapes quoted", &contentdiff.Diff{Lines: []string{"-\tindented", "+evil\x1b[2K", " a\rb"}}, false,
			"  -\tindented\n  +\"evil\\x1b[2K\"\n   \"a\\rb\"\n"},
		{"no newline", &contentdiff.Diff{Lines: []string{"-a", `\ No newline at end of file`}}, false,
			"  -a\n  \\ No newline at end of file\n"},
		{"cut", &contentdiff.Diff{Lines: []string{"-a"}, Cut: 1, Added: 3, Removed: 2}, false,
			"  -a\n  … 1 more line not shown (+3 -2 in all)\n"},
		{"binary", contentdiff.Hide(contentdiff.Binary), true, "  content changed (binary, not shown)\n"},
		{"sensitive", contentdiff.Hide(contentdiff.Sensitive), false, "  content changed (looks sensitive, not shown)\n"},
		{"too large", contentdiff.Hide(contentdiff.TooLarge), false, "  content changed (too large to show)\n"},
	})
}

func TestPlanJSONDiff(t *testing.T) {
	p := &Plan{Changes: []Change{{ID: "file:/etc/motd", Kind: "file", Action: Update,
		Diff: contentdiff.Compare([]byte("a\n"), []byte("b\n"))}}}
	checkPlanJSON(t, p, `"diff": {`, `"lines": [`, `"@@ -1 +1 @@",`, `"-a",`, `"+b"`, `"added": 1,`, `"removed": 1`)
}
