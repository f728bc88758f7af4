package main

import (
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/buildinfo"
	"github.com/gocfg/gocfg/platform"
)

// TestUnknownOpHint: the hint names the gocfg that wrote the journal; a
// development build is called so, not "gocfg devel" (reviewer R31).
func TestUnknownOpHint(t *testing.T) {
	for version, want := range map[string]string{
		"v9.9.9":        "run gocfg v9.9.9, which was interrupted, again",
		buildinfo.Devel: "run the development build of gocfg that was interrupted again",
		"":              "run the newer gocfg that was interrupted again",
	} {
		if got := unknownOpHint(&platform.UnknownOpError{ID: "x", Type: "y", Version: version}); !strings.HasPrefix(got, want) {
			t.Errorf("version %q: %q, want %q…", version, got, want)
		}
	}
}
