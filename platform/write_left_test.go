package platform

import (
	"fmt"
	"strings"
	"testing"
)

// TestWriteLeftShowsAFew (tester BG): a read-only home left 28 undo
// steps alike; the message lists the first few and counts the rest.
func TestWriteLeftShowsAFew(t *testing.T) {
	var left []error
	for i := range maxLeftShown + 2 {
		left = append(left, &LeftError{ID: fmt.Sprintf("file:~alice/.f%d", i), Err: fmt.Errorf("undo link /home/alice/.f%d: read-only file system", i)})
	}
	var b strings.Builder
	writeLeft(&b, left, nil)
	got := b.String()
	if !strings.Contains(got, fmt.Sprintf("; %d step(s) in users' homes", maxLeftShown+2)) || !strings.Contains(got, fmt.Sprintf(".f%d:", maxLeftShown-1)) ||
		strings.Contains(got, fmt.Sprintf(".f%d:", maxLeftShown)) || !strings.HasSuffix(got, "… and 2 more") {
		t.Errorf("writeLeft = %q, want the count, the first %d steps and \"… and 2 more\"", got, maxLeftShown)
	}
}
