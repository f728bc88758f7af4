package platform

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func TestPrintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{"file:~alice/.zshrc", "file:~alice/.zshrc"},
		{"file:~alice/.caf\u00e9 → 日本語 🎉", "file:~alice/.caf\u00e9 → 日本語 🎉"},
		{"", ""},
		{"a b", "a b"},
		{"file:~alice/.x\x1b[2K\x1b[1A", `"file:~alice/.x\x1b[2K\x1b[1A"`},
		{"a\nb", `"a\nb"`},
		{"a\tb", `"a\tb"`},
		{"del\x7f", `"del\x7f"`},
		{"csi\u009b2K", `"csi\u009b2K"`},
		{"bidi\u202egpj.exe", `"bidi\u202egpj.exe"`},
		{"bad\xffutf8", `"bad\xffutf8"`},
		{`quote " and \ stay`, `quote " and \ stay`},
	}
	for _, tt := range tests {
		if got := Printable(tt.in); got != tt.want {
			t.Errorf("Printable(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestPlanEscapesControlCharacters: plan printed IDs and texts raw, so a
// file target holding ESC [2K ESC [1A erased the plan's lines on a
// terminal (issue 10). Every text the View prints from a plan is now
// escaped when it holds anything unprintable, and only then.
func TestPlanEscapesControlCharacters(t *testing.T) {
	const evil = "\x1b[2K\x1b[1A"
	p := &Plan{
		Changes: []Change{
			{ID: "file:~alice/.ok", Action: Create, After: "link"},
			{ID: "file:~alice/.x" + evil, Action: Create, After: "text " + evil, Note: "n" + evil},
			{ID: "file:/etc/motd", Action: Update, Before: "a\rb", After: "c\u009bd", Drift: "changed\n+ forged line"},
		},
		Notes:    []string{"home.b" + evil + ": the files of user b need root; skipped"},
		Warnings: []string{"w" + evil},
	}
	for _, color := range []bool{false, true} {
		var out bytes.Buffer
		if err := (View{Out: &out, Color: color}).Plan(p, "gocfg will make these changes:"); err != nil {
			t.Fatal(err)
		}
		got := out.String()
		if color {
			got = strings.NewReplacer(ansiGreen, "", ansiYellow, "", ansiRed, "", ansiBold, "", ansiReset, "").Replace(got)
		}
		for _, r := range got {
			if r != '\n' && (r < 0x20 || r >= 0x7f && r < 0xa0) {
				t.Errorf("color %v: raw control character %q in\n%s", color, r, got)
				break
			}
		}
		const w = len(`"file:~alice/.x\x1b[2K\x1b[1A"`) // the widest ID, escaped
		for _, want := range []string{
			`note: "home.b\x1b[2K\x1b[1A: the files of user b need root; skipped"`,
			fmt.Sprintf("  + %-*s  link\n", w, "file:~alice/.ok"),
			`  + "file:~alice/.x\x1b[2K\x1b[1A"  "text \x1b[2K\x1b[1A"  ("n\x1b[2K\x1b[1A")` + "\n",
			fmt.Sprintf("  ~ %-*s  %s\n", w, "file:/etc/motd", `"a\rb" → "c\u009bd"  drift: "changed\n+ forged line"`),
			`warning: "w\x1b[2K\x1b[1A"` + "\n",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("color %v: plan lacks %s:\n%s", color, want, got)
			}
		}
	}
}

// TestPlanOrdinaryOutputUnchanged: nothing printable is quoted. (IDs
// are padded by bytes, as before: .café is one column short.)
func TestPlanOrdinaryOutputUnchanged(t *testing.T) {
	p := &Plan{
		Changes: []Change{
			{ID: "file:~alice/.config/nvim", Action: Create, After: "link → /home/alice/dotfiles/nvim"},
			{ID: "file:~alice/.caf\u00e9", Action: Delete, Before: "file", Note: "no longer managed"},
		},
		Notes:    []string{"users, groups: need root; skipped"},
		Warnings: []string{"/etc/x: changed by hand since gocfg wrote it; left alone and no longer managed"},
	}
	var out bytes.Buffer
	if err := (View{Out: &out}).Plan(p, "gocfg will make these changes:"); err != nil {
		t.Fatal(err)
	}
	want := `note: users, groups: need root; skipped

gocfg will make these changes:

  - file:~alice/.café         file  (no longer managed)
  + file:~alice/.config/nvim  link → /home/alice/dotfiles/nvim

warning: /etc/x: changed by hand since gocfg wrote it; left alone and no longer managed

Plan: 1 to add, 0 to change, 1 to remove.
`
	if got := out.String(); got != want {
		t.Errorf("plan =\n%s\nwant\n%s", got, want)
	}
}
