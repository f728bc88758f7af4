package brewname

import "testing"

func TestNames(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Tap("Hashicorp/homebrew-Tap"), "hashicorp/tap"},
		{Tap("oven-sh/bun"), "oven-sh/bun"},
		{Tap("solo"), "solo"},
		{Base("hashicorp/tap/terraform"), "terraform"},
		{Base("jq"), "jq"},
		{TapOf("hashicorp/homebrew-tap/terraform"), "hashicorp/tap"},
		{TapOf("hashicorp/tap/terraform"), "hashicorp/tap"},
		{TapOf("homebrew/core/wget"), ""},
		{TapOf("Homebrew/homebrew-cask/firefox"), ""},
		{TapOf("jq"), ""},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
