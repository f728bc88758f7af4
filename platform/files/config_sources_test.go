package files

import (
	"slices"
	"testing"
)

func TestConfigSources(t *testing.T) {
	c, err := ConfigFromJSON([]byte(`{
		"home": {"alice": {"files": {".zshrc": {"source": "/dots/zshrc"}, ".nvim": {"source": "/dots/nvim", "recursive": true}, ".x": {"text": "x"}}},
		         "bob": {"files": {".zshrc": {"source": "/dots/zshrc"}}}},
		"environment": {"etc": {"motd": {"source": "/dots/motd"}, "issue": {"text": "hi"}}}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Sources(), []string{"/dots/motd", "/dots/nvim", "/dots/zshrc"}; !slices.Equal(got, want) {
		t.Errorf("Sources() = %q, want %q", got, want)
	}
}
