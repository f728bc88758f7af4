package files

import (
	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform/contentdiff"
	"github.com/gocfg/gocfg/platform/recdiff"
)

// emptyHash is the hash of an empty content: an empty file created or
// removed has no lines to show, private or not.
var emptyHash = hashBytes(nil)

// createdDiff is the diff of file f, which the plan creates: all of the
// content the new generation stores for it (entry e) added, with the
// rules of a changed file's diff (contentDiff); nil when it is empty or
// cannot be read.
func (pl *planner) createdDiff(f *File, e generations.Entry) *contentdiff.Diff {
	switch {
	case f.Hash == emptyHash:
		return nil
	case privateFile(f):
		return contentdiff.Hide(contentdiff.Private).Of(contentdiff.NewFile)
	}
	b, err := pl.newContent(f, e)
	if err == errDiffTooLarge {
		return contentdiff.Hide(contentdiff.TooLarge).Of(contentdiff.NewFile)
	}
	if err != nil {
		return nil
	}
	return ContentDiff(nil, b).Of(contentdiff.NewFile)
}

// deletedDiff is the diff of file a, which the current generation
// applied and the plan removes: all of the content that generation
// stores for it removed (the plan removes the file only when it is
// still that content); nil when it is empty or cannot be read.
func (pl *planner) deletedDiff(a *File) *contentdiff.Diff {
	switch {
	case a.Hash == emptyHash:
		return nil
	case privateFile(a):
		return contentdiff.Hide(contentdiff.Private).Of(contentdiff.DeletedFile)
	}
	l := pl.l
	b, err := readAtMost(l.Sys.Open, l.Store.FilePath(l.Current, a.Root, a.Rel))
	if err == errDiffTooLarge {
		return contentdiff.Hide(contentdiff.TooLarge).Of(contentdiff.DeletedFile)
	}
	if err != nil || !sameHash(b, a.Hash) {
		return nil
	}
	return ContentDiff(b, nil).Of(contentdiff.DeletedFile)
}

// wholeDiffs adds to diffs the diff of every file with content that only
// one of a and b records (by path): a file b adds, all of its content
// (read with cb) added; a file b no longer has, all of a's content (read
// with ca) removed. Private files are only said to be new or removed; a
// content that cannot be read, or differs from its record, has no diff.
func wholeDiffs(diffs map[string]*contentdiff.Diff, a, b *Records, ca, cb recdiff.Content) {
	in := func(rs *Records) map[string]bool {
		m := make(map[string]bool, len(rs.Files))
		for _, f := range rs.Files {
			m[f.Path] = true
		}
		return m
	}
	inA, inB := in(a), in(b)
	add := func(f *File, c recdiff.Content, file string) {
		switch {
		case !hasContent(f) || f.Hash == emptyHash:
			return
		case privateFile(f):
			diffs[ID(f)] = contentdiff.Hide(contentdiff.Private).Of(file)
			return
		}
		content, err := readContent(c, f)
		if err != nil {
			return
		}
		var d *contentdiff.Diff
		if file == contentdiff.NewFile {
			d = ContentDiff(nil, content)
		} else {
			d = ContentDiff(content, nil)
		}
		if d != nil {
			diffs[ID(f)] = d.Of(file)
		}
	}
	for _, f := range b.Files {
		if !inA[f.Path] {
			add(f, cb, contentdiff.NewFile)
		}
	}
	for _, f := range a.Files {
		if !inB[f.Path] {
			add(f, ca, contentdiff.DeletedFile)
		}
	}
}
