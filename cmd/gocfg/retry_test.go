package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform"
)

// TestShowReplanBounded: the changes a replan leaves out are listed by
// name up to maxLeftOut, then counted (tester H saw 400 lines after a
// full disk failed a home's first link).
func TestShowReplanBounded(t *testing.T) {
	before := &platform.Plan{}
	for i := range maxLeftOut + 5 {
		before.Changes = append(before.Changes, platform.Change{ID: fmt.Sprintf("file:~alice/f%03d", i), Kind: "file", Action: platform.Create})
	}
	before.Changes = append(before.Changes, platform.Change{ID: "file:/etc/motd", Kind: "file", Action: platform.Create})
	after := &platform.Plan{Changes: before.Changes[len(before.Changes)-1:]}
	var out strings.Builder
	env := testEnv(t)
	env.Stdout = &out
	if err := showReplan(env, before, after, []string{"alice"}); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if n := strings.Count(got, "  file:~alice/"); n != maxLeftOut {
		t.Errorf("%d changes listed, want %d:\n%s", n, maxLeftOut, got)
	}
	if !strings.Contains(got, "  … and 5 more\n") || strings.Contains(got, "f020") || strings.Contains(got, "/etc/motd") {
		t.Errorf("output:\n%s", got)
	}
}
