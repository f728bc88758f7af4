package contentdiff

// What a Diff is of (Diff.File): a file created or a file deleted, whose
// whole content is added or removed. A changed file's diff leaves File
// empty.
const (
	// NewFile: the file is created; the diff is every line added.
	NewFile = "new"
	// DeletedFile: the file is removed; the diff is every line removed.
	DeletedFile = "deleted"
)

// Created returns the diff of a file created with content: every line
// added, with Compare's rules (a screenful, binary and large contents
// hidden); nil for an empty file.
func Created(content []byte) *Diff { return Compare(nil, content).Of(NewFile) }

// Deleted returns the diff of a file with content that is removed: every
// line removed, with Compare's rules; nil for an empty file.
func Deleted(content []byte) *Diff { return Compare(content, nil).Of(DeletedFile) }

// Of marks d as the diff of a created file (NewFile) or of a deleted one
// (DeletedFile), so that a hidden content is shown as "new content" or
// "content removed" rather than "content changed". It returns d; a nil
// d stays nil.
func (d *Diff) Of(file string) *Diff {
	if d != nil {
		d.File = file
	}
	return d
}
