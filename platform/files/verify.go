package files

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

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
		name := display(e.Root, e.Rel)
		if root, ok := strings.CutPrefix(e.Root, "originals/"); ok {
			name = "the original of " + display(root, e.Rel)
		}
		switch {
		case e.Got != "" && e.Got != e.Hash:
			out = append(out, fmt.Sprintf("%s: stored content was changed (content %s, generation %d recorded %s)", name, short(e.Got), n, short(e.Hash)))
		default:
			out = append(out, fmt.Sprintf("%s: %s", name, e.Problem))
		}
	}
	return out
}

// MissingSources returns a line for each live link (method = "live")
// of recs whose source in the dotfiles repository is gone: the link
// matches what the generation made, so it is no drift of the machine,
// but it leads nowhere (the repository moved, or the file was deleted).
func MissingSources(l *machine.Machine, recs *Records) []string {
	var out []string
	for _, a := range recs.Files {
		if a.Method != "live" || a.Source == "" || !l.Manages(userOf(a.Root)) {
			continue
		}
		if _, err := l.Sources().Stat(a.Source); errors.Is(err, fs.ErrNotExist) {
			out = append(out, fmt.Sprintf("%s: a live link to %s, which does not exist: the link leads nowhere (the dotfiles repository moved, or the file was deleted); gocfg switch names it", a.Path, a.Source))
		}
	}
	return out
}
