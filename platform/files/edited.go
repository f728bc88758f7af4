package files

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// Stored content edited in place. The contents behind a user's links
// are read-only, but an ordinary user switching their own home owns the
// store they live in: `chmod u+w` and an edit through the link (what
// vim's :w! does) change the stored object, and with it every
// generation that uses it. Every plan of such a user therefore checks
// the current generation's stored contents (generations.Store.
// CheckFiles: one stat each, a read only when the stat signature
// changed) and plans each one that changed as an update:
//
//	~ file:~alice/.bashrc  stored content edited in place; will be restored  (edits kept as /home/alice/.bashrc.gocfg-edited)
//
// The switch writes the new generation, which never reuses the damaged
// object (generations writes it again from the configuration), and
// KeepEditedOp copies the edited bytes beside the link, never over an
// earlier copy (.gocfg-edited, .gocfg-edited.1, …). When root switches,
// the homes' store areas are root's and a user cannot change them: only
// the links of /etc are checked, which root may write through (root
// writes a 0444 file: `echo >> /etc/motd`); the homes are checked by
// gocfg status and gocfg store verify. A rollback cannot keep such an
// edit (etcStoreEdits): it stops.

// editedSuffix is added to a managed path to keep the edits made to its
// stored content.
const editedSuffix = ".gocfg-edited"

// planEdited plans the restoration of the current generation's stored
// contents that were changed in place, in this run's scope.
func (pl *planner) planEdited() {
	l := pl.l
	if pl.fromRecords || l.Switch.ReportOnly || l.Current == 0 || l.Store == nil {
		return
	}
	order, byOwner := pl.editedStored(func(a *File) bool {
		if a.Method == "live" || !l.Manages(userOf(a.Root)) || pl.held[a.Root] {
			return false
		}
		// Root's switch: a home's store area is root's, which its user
		// cannot write; /etc's links are root's to edit.
		return !l.Privileged || a.Root == etcRoot
	})
	if len(order) == 0 {
		return
	}
	recorded := map[string]bool{}
	for _, f := range pl.records.Files {
		recorded[f.Path] = true
	}
	for _, a := range order {
		pl.planEditedFile(a, byOwner[a], recorded[a.Path])
	}
}

// editedStored checks the stored contents, in the current generation,
// of the applied files that check says to (every file of a linked
// folder), and returns those whose contents changed, by applied record,
// in the records' order (generations.Store.CheckFiles: a stat each, a
// read only when the stat is not the one recorded).
func (pl *planner) editedStored(check func(a *File) bool) ([]*File, map[*File][]generations.EditedFile) {
	l := pl.l
	var stored []generations.StoredFile
	owner := map[generations.StoredFile]*File{}
	add := func(a *File, s generations.StoredFile) {
		stored = append(stored, s)
		owner[s] = a
	}
	for _, a := range pl.applied.Files {
		if !check(a) {
			continue
		}
		if !a.Folder {
			add(a, generations.StoredFile{Gen: l.Current, Root: a.Root, Rel: a.Rel, Hash: a.Hash, Exec: a.Exec})
			continue
		}
		for _, c := range a.Files {
			add(a, generations.StoredFile{Gen: l.Current, Root: a.Root, Rel: path.Join(a.Rel, c.Rel), Hash: c.Hash, Exec: c.Exec})
		}
	}
	if len(stored) == 0 {
		return nil, nil
	}
	byOwner := map[*File][]generations.EditedFile{}
	var order []*File
	for _, e := range l.Store.CheckFiles(stored) {
		a := owner[e.StoredFile]
		if a == nil {
			continue
		}
		if _, ok := byOwner[a]; !ok {
			order = append(order, a)
		}
		byOwner[a] = append(byOwner[a], e)
	}
	return order, byOwner
}

// planEditedFile plans the restoration of the stored contents of the
// applied record a that changed (es): its edited bytes are kept beside
// it, and the switch's new generation writes the contents again.
func (pl *planner) planEditedFile(a *File, es []generations.EditedFile, recorded bool) {
	l := pl.l
	id := fileID(a.Root, a.Rel)
	var ops []platform.Op
	what := "stored content edited in place; will be restored"
	note := ""
	dest := ""
	for _, e := range es {
		if e.Got == "" || e.Got == e.Hash {
			// Missing, or only made writable: nothing to keep.
			if len(es) == 1 {
				what = e.Problem + "; will be restored"
			}
			continue
		}
		if a.Method == "copy" {
			// The copy in the home is the user's file; the stored one is
			// only gocfg's (its bytes stay in the store until gc).
			continue
		}
		if dest == "" {
			dest = freeEdited(l.Sys, a.Path, a.Folder)
		}
		rel := ""
		if a.Folder {
			rel = e.Rel[len(a.Rel)+1:]
		}
		ops = append(ops, &KeepEditedOp{Path: a.Path, Rel: rel, Dest: dest, Hash: e.Got,
			Sources: []string{e.Path, l.Store.EditedPath(e.Got)}, UID: a.UID, GID: a.GID})
	}
	if dest != "" {
		note = "edits kept as " + dest
		if a.Folder {
			note = "edits kept in " + dest + "/"
		}
	}
	for i := range pl.part.Changes {
		ch := &pl.part.Changes[i]
		if ch.ID != id {
			continue
		}
		ch.Ops = append(ops, ch.Ops...)
		if note != "" {
			if ch.Note != "" {
				note = ch.Note + "; " + note
			}
			ch.Note = note
		}
		return
	}
	if !recorded {
		// Neither changed nor managed any more (held, or in the way):
		// the new generation does not reuse the object, which stays as
		// it is for the generations that have it.
		pl.part.Warnings = append(pl.part.Warnings, fmt.Sprintf("%s: %s; gocfg store verify --repair can restore it", a.Path, es[0].Problem))
		return
	}
	pl.add(platform.Change{ID: id, Kind: "file", Action: platform.Update, After: what, Note: note,
		Deps: rootDeps(a.Root, pl.parentID(a)), Ops: ops})
}

// freeEdited returns the first of p.gocfg-edited, p.gocfg-edited.1, …
// that does not exist.
func freeEdited(sys system.System, p string, folder bool) string {
	for i := 0; ; i++ {
		name := editedName(p, i)
		if _, err := sys.Lstat(name); errors.Is(err, fs.ErrNotExist) || i >= 1000 {
			return name
		}
	}
}

// editedName is the i-th name for the edits of p.
func editedName(p string, i int) string {
	if i == 0 {
		return p + editedSuffix
	}
	return p + editedSuffix + "." + strconv.Itoa(i)
}

// KeepEditedOp keeps the bytes of a stored content that was edited in
// place (through the link at Path) as a new file beside Path: Dest, or
// Dest.1, Dest.2, … when taken; for the file Rel of a linked folder,
// Dest is a folder holding Rel. The bytes are read from the first of
// Sources that has Hash: the damaged stored file itself, or where the
// generations store kept it when it wrote the object again.
type KeepEditedOp struct {
	Path    string   `json:"path"`
	Rel     string   `json:"rel,omitempty"`
	Dest    string   `json:"dest"`
	Hash    string   `json:"hash"`
	Sources []string `json:"sources"`
	UID     int      `json:"uid"`
	GID     int      `json:"gid"`
}

// Describe says what the op does.
func (o *KeepEditedOp) Describe() string {
	if o.Rel != "" {
		return "keep the edits of " + filepath.Join(o.Path, o.Rel) + " in " + o.Dest
	}
	return "keep the edits of " + o.Path + " as " + o.Dest
}

// Apply writes the edited bytes to the first free name, mode 0600.
func (o *KeepEditedOp) Apply(_ context.Context, sys system.System) error {
	var data []byte
	for _, src := range o.Sources {
		if b, err := sys.ReadFile(src); err == nil && hashBytes(b) == o.Hash {
			data = b
			break
		}
	}
	if data == nil {
		return fmt.Errorf("%s: the edited content (sha256 %s) is in none of %q: %w", o.Path, short(o.Hash), o.Sources, platform.ErrUnchanged)
	}
	for i := -1; i < 1000; i++ {
		name := o.Dest
		if i >= 0 {
			if name = editedName(o.Path, i); name == o.Dest {
				continue
			}
		}
		err := o.write(sys, name, data)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return err
	}
	return fmt.Errorf("%s: no free name to keep the edits as: %s and 999 more are taken", o.Path, o.Dest)
}

// write writes data to name (or, for a file of a linked folder, to
// name/Rel); fs.ErrExist when that is taken.
func (o *KeepEditedOp) write(sys system.System, name string, data []byte) error {
	if o.Rel == "" {
		if err := sys.WriteNewFile(name, data, 0o600); err != nil {
			return err
		}
		return chown(sys, name, o.UID, o.GID)
	}
	if fi, err := sys.Lstat(name); err == nil && !fi.IsDir() {
		return fs.ErrExist
	}
	segs := strings.Split(o.Rel, "/")
	dir := name
	for i := 0; i < len(segs); i++ {
		if i > 0 {
			dir = filepath.Join(dir, segs[i-1])
		}
		err := sys.Mkdir(dir, 0o700)
		if err == nil {
			if err := chown(sys, dir, o.UID, o.GID); err != nil {
				return err
			}
			continue
		}
		if fi, lerr := sys.Lstat(dir); lerr != nil || !fi.IsDir() {
			return fs.ErrExist
		}
	}
	p := filepath.Join(name, filepath.FromSlash(o.Rel))
	if err := sys.WriteNewFile(p, data, 0o600); err != nil {
		return err
	}
	return chown(sys, p, o.UID, o.GID)
}

// Undo leaves the kept copy: it holds the user's edits, and may be their
// only copy once the object was written again.
func (o *KeepEditedOp) Undo(context.Context, system.System) error { return nil }
