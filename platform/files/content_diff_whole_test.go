package files

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/contentdiff"
)

// TestPlanWholeContentDiffs: a plan shows a created file's content as
// added lines and a removed file's as removed lines, with the rules of a
// changed file's diff (private files and secrets hidden, a screenful).
func TestPlanWholeContentDiffs(t *testing.T) {
	long := strings.Repeat("x\n", 100)
	home := func(files map[string]HomeFile) *Config {
		return &Config{Home: map[string]HomeConfig{"alice": {Files: files}}}
	}
	fx := newFixture(t)
	fx.switchTo(home(map[string]HomeFile{
		".old":      text("gone 1\ngone 2\n"),
		".oldcopy":  {Text: ptr("copied\n"), Method: "copy"},
		".oldnetrc": {Text: ptr("machine a password b\n"), Mode: ptr("0600"), Method: "copy"},
		".oldempty": text(""),
	}))
	plan, _, err := fx.plan(home(map[string]HomeFile{
		".new":       text("new 1\nnew 2\n"),
		".newcopy":   {Text: ptr("made\n"), Method: "copy"},
		".newlong":   text(long),
		".newtoken":  text("export GITHUB_TOKEN=ghp_aaaaaaaaaaaaaaaaaaaaaaaa\n"),
		".ssh/cfg":   text("Host a\n"),
		".newempty":  text(""),
		".hushlogin": {Text: ptr(""), Mode: ptr("0400"), Method: "copy"},
	}))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id     string
		action platform.Action
		file   string
		lines  string // joined with |
		hidden string
		cut    int
	}{
		{"file:~alice/.new", platform.Create, contentdiff.NewFile, "@@ -0,0 +1,2 @@|+new 1|+new 2", "", 0},
		{"file:~alice/.newcopy", platform.Create, contentdiff.NewFile, "@@ -0,0 +1 @@|+made", "", 0},
		{"file:~alice/.newlong", platform.Create, contentdiff.NewFile, "", "", 101 - contentdiff.MaxLines},
		{"file:~alice/.newtoken", platform.Create, contentdiff.NewFile, "", contentdiff.Sensitive, 0},
		{"file:~alice/.ssh/cfg", platform.Create, contentdiff.NewFile, "", contentdiff.Private, 0},
		{"file:~alice/.newempty", platform.Create, "", "", "", 0},
		{"file:~alice/.hushlogin", platform.Create, "", "", "", 0},
		{"file:~alice/.old", platform.Delete, contentdiff.DeletedFile, "@@ -1,2 +0,0 @@|-gone 1|-gone 2", "", 0},
		{"file:~alice/.oldcopy", platform.Delete, contentdiff.DeletedFile, "@@ -1 +0,0 @@|-copied", "", 0},
		{"file:~alice/.oldnetrc", platform.Delete, contentdiff.DeletedFile, "", contentdiff.Private, 0},
		{"file:~alice/.oldempty", platform.Delete, "", "", "", 0},
	}
	changes := map[string]platform.Change{}
	for _, c := range plan.Changes {
		changes[c.ID] = c
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			c, ok := changes[tt.id]
			if !ok || c.Action != tt.action {
				t.Fatalf("change %+v, want action %v", c, tt.action)
			}
			d := c.Diff
			if tt.file == "" {
				if d != nil {
					t.Errorf("diff %+v of an empty file, want none", d)
				}
				return
			}
			if d == nil {
				t.Fatal("no diff")
			}
			if d.File != tt.file || d.Hidden != tt.hidden || d.Cut != tt.cut {
				t.Errorf("diff %+v, want file %q hidden %q cut %d", d, tt.file, tt.hidden, tt.cut)
			}
			if tt.lines != "" && strings.Join(d.Lines, "|") != tt.lines {
				t.Errorf("lines %q, want %q", strings.Join(d.Lines, "|"), tt.lines)
			}
		})
	}
}

// TestPlanDeletedAlreadyGone: a file removed by hand has nothing left to
// remove, so its change has no diff.
func TestPlanDeletedAlreadyGone(t *testing.T) {
	fx := newFixture(t)
	fx.switchTo(&Config{Home: map[string]HomeConfig{"alice": {Files: map[string]HomeFile{".old": text("a\n")}}}})
	fx.remove(aliceHome + "/.old")
	plan, _, err := fx.plan(&Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range plan.Changes {
		if c.ID == "file:~alice/.old" && c.Diff != nil {
			t.Errorf("diff %+v of a file already removed, want none", c.Diff)
		}
	}
}

func TestContentDiffsWhole(t *testing.T) {
	contents := map[string]string{
		"a/home/alice/.old": "o\n", "b/home/alice/.new": "n\n",
		"a/home/alice/.netrc": "password 1\n", "b/home/alice/.pgpass": "x\n",
	}
	reader := func(side string) func(root, rel string) ([]byte, error) {
		return func(root, rel string) ([]byte, error) { return []byte(contents[side+"/"+root+"/"+rel]), nil }
	}
	file := func(side, rel string, mode fs.FileMode, method string) *File {
		return &File{Path: "/home/alice/" + rel, Root: "home/alice", Rel: rel, Method: method, Mode: mode,
			Hash: hashBytes([]byte(contents[side+"/home/alice/"+rel]))}
	}
	a := &Records{Files: []*File{file("a", ".old", 0, "link"), file("a", ".netrc", 0o600, "copy"),
		{Path: "/home/alice/.live", Root: "home/alice", Rel: ".live", Method: "live"}}}
	b := &Records{Files: []*File{file("b", ".new", 0, "copy"), file("b", ".pgpass", 0, "link"),
		{Path: "/home/alice/.bad", Root: "home/alice", Rel: ".bad", Method: "link", Hash: "not its content"}}}
	got := ContentDiffs(a, b, reader("a"), reader("b"))
	want := map[string]string{
		"file:~alice/.old":    "deleted||@@ -1 +0,0 @@|-o",
		"file:~alice/.netrc":  "deleted|private|",
		"file:~alice/.new":    "new||@@ -0,0 +1 @@|+n",
		"file:~alice/.pgpass": "new|private|",
	}
	for id, w := range want {
		d := got[id]
		if d == nil {
			t.Errorf("%s: no diff, want %s", id, w)
			continue
		}
		if g := d.File + "|" + d.Hidden + "|" + strings.Join(d.Lines, "|"); g != w {
			t.Errorf("%s: %s, want %s", id, g, w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("diffs for %v, want only %d (.live has no content, .bad's is not its record's)", diffKeys(got), len(want))
	}
}
