// Package gitinfo reads what a generation records about the dotfiles
// folder it was made from: the git commit checked out and whether the
// work tree has uncommitted changes (DESIGN.md §4, meta.json).
//
// Place in the pipeline: `gocfg switch` calls [Describe] on the source
// folder before writing the generation. It only reads metadata, by
// running git (or, where there is no git program, with go-git), so it
// does not go through the System seam: it is not a
// side effect on the machine, and `--root` does not relocate the
// dotfiles folder.
package gitinfo
