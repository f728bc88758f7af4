package files

import (
	"fmt"
	"path"
)

// Verify checks that the contents a generation stored still have the
// hashes it recorded (they are read-only, but root can change anything).
// It returns one line per changed or missing content.
func Verify(l *Layout, n int, recs *Records) []string {
	type item struct{ root, rel, hash string }
	var items []item
	for _, f := range recs.Files {
		switch {
		case f.Method == "live":
		case f.Folder:
			for _, c := range f.Files {
				items = append(items, item{f.Root, path.Join(f.Rel, c.Rel), c.Hash})
			}
		default:
			items = append(items, item{f.Root, f.Rel, f.Hash})
		}
	}
	problems := make([]string, len(items))
	parallel(len(items), func(i int) {
		it := items[i]
		p := l.Store.FilePath(n, it.root, it.rel)
		h, err := hashPath(l.Sys, p)
		switch {
		case err != nil:
			problems[i] = fmt.Sprintf("%s: stored content is unreadable: %v", display(it.root, it.rel), unwrapPath(err))
		case h != it.hash:
			problems[i] = fmt.Sprintf("%s: stored content was changed (content %s, generation %d recorded %s)", display(it.root, it.rel), short(h), n, short(it.hash))
		}
	})
	var out []string
	for _, p := range problems {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}
