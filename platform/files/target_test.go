package files

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCleanRelControlCharacters: a target with a control character was
// accepted and printed raw by plan, where an escape sequence could erase
// plan lines on a terminal (issue 10, hostile module input).
func TestCleanRelControlCharacters(t *testing.T) {
	refused := []struct{ in, why string }{
		{".x\x1b[2K\x1b[1A", `control character '\x1b' (at byte 2)`},
		{"a\x00b", `'\x00'`},
		{"a\tb", `'\t'`},
		{"a\nb", `'\n'`},
		{"a\rb", `'\r'`},
		{".config/x\x7f", `'\x7f'`},
		{"x\u0085y", `'\u0085'`},
		{"x\u009b2K", `'\u009b'`},
		{"x\x9by", "not valid UTF-8"},
		{"x\xffy", "not valid UTF-8"},
	}
	for _, tt := range refused {
		got, why := cleanRel(tt.in)
		if got != "" || !strings.Contains(why, tt.why) {
			t.Errorf("cleanRel(%q) = %q, %q; want a reason with %q", tt.in, got, why, tt.why)
		}
	}
	accepted := []string{
		".config/nvim", "a b/c d", ".caf\u00e9", "日本語/ファイル", "x\u00a0y", "emoji 🎉", "tab\\t",
	}
	for _, in := range accepted {
		if got, why := cleanRel(in); why != "" || got != in {
			t.Errorf("cleanRel(%q) = %q, %q; want it accepted", in, got, why)
		}
	}
}

// TestControlCharacterTargetError: the error names the option, with the
// target quoted so the error itself prints safely.
func TestControlCharacterTargetError(t *testing.T) {
	fx := newFixture(t)
	_, _, err := fx.plan(home(map[string]HomeFile{".x\x1b[2K": text("1")}))
	if err == nil {
		t.Fatal("no error")
	}
	if want := `home.alice.files.".x\x1b[2K": the target contains the control character '\x1b'`; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q, want it to start with %q", err, want)
	}
}

// TestRecursiveSourceNames: the file names found in a recursive source
// folder become paths in the home, under the same rules as a target.
func TestRecursiveSourceNames(t *testing.T) {
	fx := newFixture(t)
	dir := filepath.Join(fx.src, "dots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "evil\x1b[2K"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := home(map[string]HomeFile{".config/dots": {Source: ptr(dir), Recursive: true}})
	_, _, err := fx.plan(cfg)
	if err == nil || !strings.Contains(err.Error(), "control character") || !strings.Contains(err.Error(), `home.alice.files.".config/dots"`) {
		t.Errorf("plan: %v, want the name refused with the option", err)
	}
}
