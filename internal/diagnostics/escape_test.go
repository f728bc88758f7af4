package diagnostics

import "testing"

func TestEscaped(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain /home/alice/.zshrc", "plain /home/alice/.zshrc"},
		{"two\nlines\twith a tab", "two\nlines\twith a tab"},
		{"title \x1b]0;PWNED\a", `title \x1b]0;PWNED\x07`},
		{"clear \x1b[2J\rover", `clear \x1b[2J\x0dover`},
		{"del \x7f", `del \x7f`},
		{"c1 \u009b2J", `c1 \u009b2J`},
		{"bidi \u202egnp.exe", `bidi \u202egnp.exe`},
		{"bad \xff\xfe utf-8", `bad \xff\xfe utf-8`},
		{"ünïcödé ✓", "ünïcödé ✓"},
	} {
		if got := Escaped(tc.in); got != tc.want {
			t.Errorf("Escaped(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
