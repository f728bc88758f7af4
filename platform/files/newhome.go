package files

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"sort"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/system"
)

// The files of a user the same switch creates (issue 11 §3).
//
// useradd --create-home copies the skeleton folder (/etc/skel, or SKEL in
// /etc/default/useradd) into the new home when it runs, which is after
// the plan was made: the plan saw no home, and a link or copy gocfg then
// makes where the skeleton has a file found it taken. The planner
// therefore reads the skeleton for a home useradd makes in this switch
// (platform.Facts.NewHomes, a home that does not exist yet) and plans against
// what useradd will have put there:
//
//   - A file (or link) of the skeleton where gocfg manages a file is a
//     pristine copy of one that stays in the skeleton: gocfg's file
//     replaces it without a conflict, as home-manager users expect, and
//     the copy is deleted when the switch commits; with --backup-ext it
//     is kept as a backup, like any file in the way (and put back when
//     gocfg stops managing the path). At apply time a SkelOp moves the
//     copy aside only while it is still the skeleton's (the content, or
//     the link target, the plan read there); anything else there stops
//     the switch (nothing is lost).
//   - A folder of the skeleton on the way to a managed file is
//     useradd's: gocfg does not make it, record it as its own, nor ever
//     remove it.
//   - A folder of the skeleton where a managed file goes, or a file
//     where a folder is needed, is a conflict of that home.
//   - The skeleton's other files stay as useradd copied them.
//
// The store area of the user's files names the new uid in its ACL
// (generations.HomeArea) from the moment the generation is written,
// before useradd runs. When the switch is undone the account goes, and
// the next account made would get the same uid and read the area: an
// AreaOp, run before every other op and so undone after them, removes an
// area the switch created once the account is gone, and rewrites the ACL
// of one that older generations use to name root alone.

// planNewHomes plans the homes useradd makes in this switch against the
// skeleton it copies there, and guards the store areas of the users the
// switch creates (see above). It runs once every file and folder is
// planned, before held homes are taken out.
func (pl *planner) planNewHomes() error {
	l := pl.l
	var homes []string // files roots of homes useradd makes
	for _, root := range sortedKeys(pl.d.roots) {
		r := pl.d.roots[root]
		if r.User == "" || !l.newHomes[r.User] || pl.held[root] {
			continue
		}
		if ds := pl.dirs[r.Dir]; ds != nil && ds.live.kind == absent {
			homes = append(homes, root)
		}
	}
	if len(homes) > 0 {
		if err := pl.planSkeleton(homes, accounts.SkelDir(l.Sys)); err != nil {
			return err
		}
	}
	return pl.guardNewAreas()
}

// planSkeleton adjusts the plan of the files and folders of homes to
// what useradd copies there from skel.
func (pl *planner) planSkeleton(homes []string, skel string) error {
	l := pl.l
	isNew := map[string]bool{}
	for _, root := range homes {
		isNew[root] = true
	}
	index := make(map[string]int, len(pl.part.Changes))
	for i, ch := range pl.part.Changes {
		index[ch.ID] = i
	}
	created := func(id string) *platform.Change {
		if i, ok := index[id]; ok && pl.part.Changes[i].Action == platform.Create {
			return &pl.part.Changes[i]
		}
		return nil
	}
	inSkel := func(rel string) (string, live, error) {
		p := filepath.Join(skel, filepath.FromSlash(rel))
		lv, err := readLive(l.Sys, p)
		if err != nil {
			return p, lv, fmt.Errorf("%s (useradd copies it into new homes): %w", p, unwrapPath(err))
		}
		return p, lv, nil
	}
	for _, f := range pl.d.files {
		if !isNew[f.Root] {
			continue
		}
		ch := created(fileID(f.Root, f.Rel))
		if ch == nil {
			continue
		}
		sp, lv, err := inSkel(f.Rel)
		if err != nil {
			return err
		}
		if err := pl.replaceSkeleton(ch, f, sp, &lv); err != nil {
			return err
		}
	}
	// The folders on the way, shallowest first.
	paths := make([]string, 0, len(pl.dirs))
	for p, ds := range pl.dirs {
		if isNew[ds.root] && ds.rel != "" {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	useradds := map[string]bool{}
	for _, p := range paths {
		ds := pl.dirs[p]
		id := dirID(ds.root, ds.rel)
		if created(id) == nil {
			continue
		}
		sp, lv, err := inSkel(ds.rel)
		if err != nil {
			return err
		}
		switch lv.kind {
		case absent:
		case isDir:
			useradds[p] = true
		default:
			pl.conflict(id, p, fmt.Sprintf("useradd copies %s here, %s, where gocfg needs a folder", sp, describeKind(&lv)),
				platform.Fix("remove it from "+skel+", or manage another path"))
		}
	}
	if len(useradds) == 0 {
		return nil
	}
	changes := pl.part.Changes[:0]
	for _, ch := range pl.part.Changes {
		if ch.Kind == "dir" && ch.Action == platform.Create && len(ch.Ops) == 1 {
			if op, ok := ch.Ops[0].(*MkdirOp); ok && useradds[op.Path] {
				continue
			}
		}
		changes = append(changes, ch)
	}
	pl.part.Changes = changes
	dirs := pl.records.Dirs[:0]
	for _, d := range pl.records.Dirs {
		if !useradds[d.Path] {
			dirs = append(dirs, d)
		}
	}
	pl.records.Dirs = dirs
	return nil
}

// replaceSkeleton makes ch, the creation of f in a new home, first set
// aside the copy useradd makes of sp, the skeleton's entry at f's path
// (lv), when there is one.
func (pl *planner) replaceSkeleton(ch *platform.Change, f *File, sp string, lv *live) error {
	l := pl.l
	op := &SkelOp{Path: f.Path, Skel: sp, Aside: l.asidePath(f.Path)}
	switch lv.kind {
	case absent:
		return nil
	case isFile:
		h, err := lv.contentHash(l.Sys, sp)
		if err != nil {
			return fmt.Errorf("%s (useradd copies it into new homes): %w", sp, unwrapPath(err))
		}
		op.Hash = h
	case isLink:
		op.Target = lv.target
	default:
		pl.fileConflictAt(f, fmt.Sprintf("useradd copies %s here, %s, which gocfg does not replace", sp, describeKind(lv)),
			platform.Fix("remove it from "+filepath.Dir(sp)+", or manage the files inside it one by one (recursive = true)"))
		return nil
	}
	note := "replaces the copy of " + sp + " useradd makes"
	if l.Switch.BackupExt != "" {
		backup := f.Path + l.Switch.BackupExt
		if bl, err := readLive(l.Sys, sp+l.Switch.BackupExt); err != nil || bl.kind != absent {
			pl.fileConflictAt(f, fmt.Sprintf("useradd copies %s here, and its backup path %s would be taken: useradd copies %s%s there too", sp, backup, sp, l.Switch.BackupExt),
				platform.Flag("pick another --backup-ext"))
			return nil
		}
		op.Aside, op.Keep = backup, true
		f.Backup = backup
		note = "backup to " + backup + ": the copy of " + sp + " useradd makes"
	}
	ch.Ops = append([]platform.Op{op}, ch.Ops...)
	if ch.Note != "" {
		note = ch.Note + "; " + note
	}
	ch.Note = note
	return nil
}

// guardNewAreas adds an AreaOp for the store area of every user whose
// files the new generation stores, who can read it (root switching), and
// whom this switch creates (not in the passwd database yet). Not on
// macOS, whose accounts are not in /etc/passwd.
func (pl *planner) guardNewAreas() error {
	l := pl.l
	if !l.Privileged || l.Switch.ReportOnly || l.Store == nil || l.OS == "darwin" {
		return nil
	}
	var db *accounts.Database
	for _, root := range sortedKeys(pl.d.areas) {
		a, user := pl.d.areas[root], userOf(root)
		if user == "" || a.Reader <= 0 {
			continue
		}
		if db == nil {
			var err error
			if db, err = accounts.Read(l.Sys); err != nil {
				return err
			}
		}
		if _, exists := db.User(user); exists {
			continue
		}
		p := filepath.Join(l.Store.Dir(), "store", a.Name)
		_, err := l.Sys.Lstat(p)
		pl.add(platform.Change{ID: "store:" + a.Name, Kind: "store", Action: platform.Update, First: true, Hidden: true,
			Ops: []platform.Op{&AreaOp{Path: p, User: user, UID: a.Reader, Existed: err == nil}}})
	}
	return nil
}

// SkelOp sets aside the copy of a skeleton file that useradd made at Path
// in a new home, so that gocfg's file (the next op of the change) takes
// its place; the copy is deleted when the switch commits, or kept as a
// backup (Keep). It acts only while the copy is still the skeleton's:
// a regular file with content Hash, or a link to Target.
type SkelOp struct {
	Path string `json:"path"`
	// Skel is the skeleton's file, for messages.
	Skel   string `json:"skel"`
	Hash   string `json:"hash,omitempty"`
	Target string `json:"target,omitempty"`
	Aside  string `json:"aside"`
	Keep   bool   `json:"keep,omitempty"`
}

// Describe says what the op does.
func (o *SkelOp) Describe() string { return "set aside the copy of " + o.Skel + " at " + o.Path }

// isSkel says how what is at p differs from the skeleton's file ("" when
// it does not).
func (o *SkelOp) isSkel(sys system.System, p string) string {
	fi, err := sys.Lstat(p)
	switch {
	case err != nil:
		return "it is gone"
	case o.Target != "":
		if t, err := sys.Readlink(p); err != nil || t != o.Target {
			return "it is no longer the link " + o.Skel + " is"
		}
		return ""
	case !fi.Mode().IsRegular():
		return "it is no longer a file"
	}
	if h, err := hashPath(sys, p); err != nil || h != o.Hash {
		return "its content is no longer " + o.Skel + "'s as the plan read it"
	}
	return ""
}

// Apply moves the copy aside and checks it there, where no write can
// reach it unseen; a copy that is not the skeleton's is moved back and
// stops the switch. Nothing at the path (useradd copied nothing there)
// leaves nothing to do.
func (o *SkelOp) Apply(_ context.Context, sys system.System) error {
	if _, err := sys.Lstat(o.Path); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if _, err := sys.Lstat(o.Aside); err == nil {
		return fmt.Errorf("%s: already exists; not overwriting it: %w", o.Aside, platform.ErrUnchanged)
	}
	if err := sys.Rename(o.Path, o.Aside); err != nil {
		return err
	}
	why := o.isSkel(sys, o.Aside)
	if why == "" {
		return nil
	}
	if _, err := sys.Lstat(o.Path); errors.Is(err, fs.ErrNotExist) && sys.Rename(o.Aside, o.Path) == nil {
		return fmt.Errorf("%s: not the copy of %s the plan expected (%s); nothing was changed: %w", o.Path, o.Skel, why, platform.ErrUnchanged)
	}
	return fmt.Errorf("%s: not the copy of %s the plan expected (%s); it is kept as %s", o.Path, o.Skel, why, o.Aside)
}

// Undo moves the copy back if it is the one the op set aside and the
// path is free (the next op's undo removed gocfg's file).
func (o *SkelOp) Undo(_ context.Context, sys system.System) error {
	if _, err := sys.Lstat(o.Aside); err != nil || o.isSkel(sys, o.Aside) != "" {
		return nil
	}
	if _, err := sys.Lstat(o.Path); err == nil {
		return fmt.Errorf("%s: cannot move %s back: the path is taken", o.Path, o.Aside)
	}
	return sys.Rename(o.Aside, o.Path)
}

var _ platform.Committer = (*SkelOp)(nil)

// Commit deletes the copy set aside, unless it is a backup or was written
// to since (then it is kept, and said so).
func (o *SkelOp) Commit(_ context.Context, sys system.System) error {
	if o.Keep {
		return nil
	}
	if _, err := sys.Lstat(o.Aside); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if o.Target != "" {
		if why := o.isSkel(sys, o.Aside); why != "" {
			return fmt.Errorf("%s: kept: %s", o.Aside, why)
		}
		return sys.Remove(o.Aside)
	}
	// A program that opened the copy before it was moved aside may still
	// write to it: removed only while nobody has it open for writing, and
	// checked through the descriptor that is removed (see
	// system.RemoveUnshared).
	err := sys.RemoveUnshared(o.Aside, func(fi fs.FileInfo, r io.Reader) error {
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("%s: kept: it is no longer a file", o.Aside)
		}
		if h, err := hashLive(r); err != nil || h != o.Hash {
			return fmt.Errorf("%s: kept: its content is no longer %s's as the plan read it", o.Aside, o.Skel)
		}
		return nil
	})
	return keptUnshared(o.Aside, err)
}

// AreaOp guards the store area (Path) of a user the switch creates, whose
// ACL names the uid the user is to have from the moment the generation
// is written. Apply does nothing; it runs first, so Undo runs last, when
// the undo of useradd is done: if the account is gone, an area the switch
// created (not Existed) is removed with the objects in it, and the ACL of
// one older generations use is rewritten to name root, its owner, alone.
// No folder of gocfg's then names a uid that the next account made gets.
type AreaOp struct {
	Path    string `json:"path"`
	User    string `json:"user"`
	UID     int    `json:"uid"`
	Existed bool   `json:"existed,omitempty"`
}

// Describe says what the op does.
func (o *AreaOp) Describe() string { return "guard the store area of new user " + o.User }

// Apply does nothing: the area is made when the generation is written.
func (*AreaOp) Apply(context.Context, system.System) error { return nil }

// Undo removes the area, or its reader, once the account is gone.
func (o *AreaOp) Undo(_ context.Context, sys system.System) error {
	fi, err := sys.Lstat(o.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	db, err := accounts.Read(sys)
	if err != nil {
		return err
	}
	if a, ok := db.User(o.User); (ok && a.UID == o.UID) || !fi.IsDir() {
		return nil // the account stays, and reads its area; or not an area
	}
	if !o.Existed {
		return sys.RemoveAll(o.Path)
	}
	err = sys.GrantRead(o.Path, 0)
	if errors.Is(err, errors.ErrUnsupported) {
		// No ACLs: the area was given to the user's group instead.
		if err := sys.Lchown(o.Path, 0, 0); err != nil {
			return err
		}
		return sys.Chmod(o.Path, 0o700)
	}
	return err
}
