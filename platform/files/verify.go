package files

import (
	"fmt"

	"github.com/gocfg/gocfg/platform/machine"
)

// Verify checks that the contents generation n stored still have the
// hashes it recorded (they are read-only, but root can change anything,
// and an ordinary user owns their own store). It returns one line per
// changed, missing or writable content. A content is read only when its
// stat signature is not the one the store's signature cache recorded
// with its hash (generations.Store.CheckFiles); gocfg store verify reads
// them all.
func Verify(l *machine.Machine, n int, recs *Records) []string {
	stored := Stored(recs)
	for i := range stored {
		stored[i].Gen = n
	}
	var out []string
	for _, e := range l.Store.CheckFiles(stored) {
		switch {
		case e.Got != "" && e.Got != e.Hash:
			out = append(out, fmt.Sprintf("%s: stored content was changed (content %s, generation %d recorded %s)", display(e.Root, e.Rel), short(e.Got), n, short(e.Hash)))
		default:
			out = append(out, fmt.Sprintf("%s: %s", display(e.Root, e.Rel), e.Problem))
		}
	}
	return out
}
