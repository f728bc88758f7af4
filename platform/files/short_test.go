package files

import "testing"

// TestShort: a hash is shown by its first 8 digits; a file too large to
// hash by its size, not a cut marker (tester AI: "(file too-larg)").
func TestShort(t *testing.T) {
	for in, want := range map[string]string{
		"0123456789abcdef":           "01234567",
		"abc":                        "abc",
		tooLargeHash(16492674416640): "too large to compare, 16492674416640 bytes",
	} {
		if got := short(in); got != want {
			t.Errorf("short(%q) = %q, want %q", in, got, want)
		}
	}
}
