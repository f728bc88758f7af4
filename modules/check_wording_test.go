package modules_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestDiagnosticWording checks the words of errors a user's own module
// can cause: "a"/"an" before a type or block name, an assert or warn
// with an empty message, and override's priority.
func TestDiagnosticWording(t *testing.T) {
	tests := []struct {
		name string
		src  string
		also string // a.hcl, which src may import
		want string // the text of one diagnostic's detail
		not  string // text no diagnostic may hold
	}{
		{
			name: "a warn block's message of the wrong type",
			src:  "warn {\n  condition = true\n  message = [\"a\"]\n}\n",
			want: "The message of a warn block must be a string, not a tuple.",
			not:  "an warn",
		},
		{
			name: "an assert block's message of the wrong type",
			src:  "assert {\n  condition = false\n  message = { a = 1 }\n}\n",
			want: "The message of an assert block must be a string, not an object.",
			not:  "a object",
		},
		{
			name: "an option of a submodule given a string",
			src: `option "o" {
  type = submodule({ x = { type = str } })
}
o = "s"
`,
			want: "not a string",
		},
		{
			name: "an object where a string goes",
			src: `option "o" {
  type = list_of(str)
}
o = [{ port = 1 }]
`,
			want: "is of type str, not an object.",
			not:  "a object",
		},
		{
			name: "an assert with an empty message",
			src:  "assert {\n  condition = false\n  message = \"\"\n}\n",
			want: "The condition is false, and the message of this assert block is empty.",
		},
		{
			name: "a warn with an empty message",
			src:  "warn {\n  condition = true\n  message = \"\"\n}\n",
			want: "The condition is true, and the message of this warn block is empty.",
		},
		{
			name: "a conflict of plain definitions",
			src:  "imports = [\"./a.hcl\"]\noption \"o\" {\n  type = str\n}\no = \"b\"\n",
			also: "o = \"a\"\n",
			want: "hint: give the one that should win a priority: force(value), or make the others yield with default(value).",
		},
		{
			name: "a conflict of forced definitions",
			src:  "imports = [\"./a.hcl\"]\noption \"o\" {\n  type = str\n}\no = force(\"b\")\n",
			also: "o = force(\"a\")\n",
			want: "hint: they are all force(value): give the one that should win a lower number with override(n, value) (force is 50), or remove the others.",
			not:  "priority: force(value)",
		},
		{
			name: "a conflict of defaults",
			src:  "imports = [\"./a.hcl\"]\noption \"o\" {\n  type = str\n}\no = default(\"b\")\n",
			also: "o = default(\"a\")\n",
			want: "hint: they are all default(value): set the one that should win plainly, or remove the others.",
		},
		{
			name: "a conflict at override(7)",
			src:  "imports = [\"./a.hcl\"]\noption \"o\" {\n  type = str\n}\no = override(7, \"b\")\n",
			also: "o = override(7, \"a\")\n",
			want: "hint: they all have priority 7: give the one that should win a lower number with override(n, value), or remove the others.",
		},
		{
			name: "a negative override",
			src: `option "o" {
  type = str
}
o = override(-5, "x")
`,
			want: "override takes a constant whole number, 0 or more, as its priority, such as override(10, value).",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"default.hcl": tt.src}
			if tt.also != "" {
				files["a.hcl"] = tt.also
			}
			dir := writeFiles(t, files)
			_, diags := evalJSON(t, dir, "", false)
			found := false
			for _, d := range diags {
				found = found || d.Detail == tt.want || strings.Contains(d.Detail, tt.want)
				if tt.not != "" && strings.Contains(d.Detail, tt.not) {
					t.Errorf("%q holds %q", d.Detail, tt.not)
				}
			}
			if !found {
				t.Errorf("no diagnostic says %q:\n%s", tt.want, diagList(diags))
			}
		})
	}
}

// TestSyntaxErrorsCut checks that a file that is no HCL gives its first
// syntax errors and a count of the rest, not an error for every line.
func TestSyntaxErrorsCut(t *testing.T) {
	var src strings.Builder
	for i := range 25 {
		fmt.Fprintf(&src, "user%d:x:%d:%d::/home/user%d:/bin/sh\n", i, 1000+i, 1000+i, i)
	}
	dir := writeFiles(t, map[string]string{"default.hcl": `imports = ["./passwd"]`, "passwd": src.String()})
	_, diags := evalJSON(t, dir, "", false)
	if len(diags) != 11 {
		t.Fatalf("%d diagnostics, want 10 and a count:\n%s", len(diags), diagList(diags))
	}
	last := diags[10]
	if last.Subject == nil {
		t.Errorf("the count has no place: %s", last.Detail)
	}
	if last.Summary != "More syntax errors" || !strings.Contains(last.Detail, "passwd has 15 more syntax errors from here on, not shown. Is it an HCL module?") {
		t.Errorf("last diagnostic: %s: %s", last.Summary, last.Detail)
	}
}
