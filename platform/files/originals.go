package files

import (
	"io/fs"
	"strings"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/internal/filestat"
)

// What was there before gocfg managed a path comes back when gocfg lets
// go of it (DESIGN.md §6, as the macOS preferences keep the value a key
// had). When a switch first takes over a path that holds something gocfg
// did not make — replaced with force = true, or adopted because it had
// the configured content — the plan records it as the file's Original: a
// link's target, or a file's content, mode and owner, the content stored
// in the generation under the files root "originals/<root>" (in the same
// store area as the root, or the root-only area for /etc). Every later
// generation that manages the path carries the record and the content.
// When the path is let go of (removed from the configuration, or a
// rollback to a generation from before it), the managed file is removed
// and the original put back; a backup made with --backup-ext, which is
// the original itself, takes precedence.

// An Original is what a path held before gocfg first managed it.
type Original struct {
	// Target is a link's target; for a file, Hash (its content, stored
	// under originalsRoot), Mode and the owner.
	Target string      `json:"target,omitempty"`
	Hash   string      `json:"hash,omitempty"`
	Mode   fs.FileMode `json:"mode,omitempty"`
	UID    int         `json:"uid"`
	GID    int         `json:"gid"`
}

// originalsRoot is the files root the originals of root are stored in.
func originalsRoot(root string) string { return "originals/" + root }

// originalOf returns what a live path is as an Original (nil for what
// cannot be put back: absent, a folder, a special file).
func originalOf(lv *live, hash string) *Original {
	switch lv.kind {
	case isLink:
		return &Original{Target: lv.target}
	case isFile:
		uid, gid := filestat.Owner(lv.info)
		return &Original{Hash: hash, Mode: lv.info.Mode().Perm() | lv.info.Mode()&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky), UID: uid, GID: gid}
	}
	return nil
}

// in is o as gocfg keeps it to put back at a path of files root root:
// in a home, without setuid and setgid. A home is its user's: a file
// there that looks like root's setuid program (a hard link where
// fs.protected_hardlinks is off, a FUSE mount) is not made into one by
// root when it is put back (tester S).
func (o *Original) in(root string) *Original {
	if o != nil && strings.HasPrefix(root, "home/") {
		o.Mode &^= fs.ModeSetuid | fs.ModeSetgid
	}
	return o
}

// prevOfOriginal says how a RemoveOp puts f's original back: from the
// current generation's store.
func (pl *planner) prevOfOriginal(f *File) *Prev {
	o := f.Original
	if o == nil {
		return nil
	}
	if o.Target != "" {
		return &Prev{Target: o.Target, UID: f.UID, GID: f.GID, LinkOwned: true}
	}
	return &Prev{Object: pl.l.Store.FilePath(pl.l.Current, originalsRoot(f.Root), f.Rel), Hash: o.Hash, Mode: o.Mode, UID: o.UID, GID: o.GID}
}

// originalsContents lists the stored originals of files: first taken
// (read from the path itself, which the new generation is written
// before the switch moves it aside, and checked against the hash the plan
// took), or carried from the current generation.
func (pl *planner) originalsContents(files []*File) []generations.Entry {
	var es []generations.Entry
	for _, f := range files {
		o := f.Original
		if o == nil || o.Target != "" {
			continue
		}
		root := originalsRoot(f.Root)
		e := generations.Entry{Root: root, Rel: f.Rel, Hash: o.Hash}
		if a := pl.appliedFiles[f.Path]; a != nil && a.Original != nil && pl.l.Current != 0 {
			p := pl.l.Store.FilePath(pl.l.Current, root, f.Rel)
			e.Have, e.Open = p, pl.l.storeOpener(p)
		} else if seen := pl.seen[f.Path]; seen != nil {
			e.Open, e.Unverified, e.Resource = keptOpener(pl.l.Sys, f.Path, seen), true, fileID(f.Root, f.Rel)
		} else {
			// Adopted: the content is gocfg's own, which the hash
			// checks before anyone but root may read the copy.
			e.Open, e.Unverified, e.Resource = pl.l.storeOpener(f.Path), true, fileID(f.Root, f.Rel)
		}
		es = append(es, e)
	}
	return es
}

// addOriginals makes the plan store the originals of its records: their
// contents, and the areas of their roots.
func (pl *planner) addOriginals() {
	any := false
	for _, f := range pl.records.Files {
		if f.Original != nil && f.Original.Target == "" {
			any = true
			root := originalsRoot(f.Root)
			if _, ok := pl.part.Areas[root]; !ok {
				a := pl.part.Areas[f.Root]
				if userOf(f.Root) == "" {
					a = pl.part.Areas[etcPrivateRoot]
				}
				pl.part.Areas[root] = a
			}
		}
	}
	if !any {
		return
	}
	desired := pl.part.Contents
	records := pl.records.Files
	pl.part.Contents = func() []generations.Entry {
		var es []generations.Entry
		if desired != nil {
			es = desired()
		}
		return append(es, pl.originalsContents(records)...)
	}
}
