package files

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/internal/filestat"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/managed"
	"github.com/gocfg/gocfg/platform/recdiff"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/platform/users"
)

// A Provider plans managed files. Desired comes from the configuration
// (Config) or from a generation's records (Records: rollback, status).
type Provider platform.Base[Config, Records]

var _ platform.FactsReader = (*Provider)(nil)

// Name keys the records in resources.json.
func (*Provider) Name() string { return "files" }

// Plan compares desired, applied and live files, on the machine as it is.
func (p *Provider) Plan(ctx context.Context, appliedData json.RawMessage) (*platform.Part, error) {
	return p.PlanWith(ctx, appliedData, platform.Facts{})
}

// PlanWith plans with what the providers before it plan: the accounts a
// plan creates own their files, and the homes useradd makes are not in
// the way (newhome.go).
func (p *Provider) PlanWith(ctx context.Context, appliedData json.RawMessage, facts platform.Facts) (*platform.Part, error) {
	l := newSite(p.Machine, facts)
	applied, err := DecodeRecords(appliedData)
	if err != nil {
		return nil, err
	}
	appliedFiles := make(map[string]*File, len(applied.Files))
	for _, f := range applied.Files {
		appliedFiles[f.Path] = f
	}
	var d *desired
	if p.Records != nil {
		d = l.fromRecords(p.Records)
	} else {
		d, err = l.fromConfig(p.Config, newHashCache(applied, appliedFiles, l.Store), appliedFiles, l.Clock())
		if err != nil {
			return nil, err
		}
	}
	var deferred []*File
	if p.Records == nil {
		if deferred, err = l.checkFiles(ctx, d.files, appliedFiles); err != nil { // check.go
			return nil, err
		}
	}
	pl := &planner{l: l, d: d, applied: applied, appliedFiles: appliedFiles, fromRecords: p.Records != nil, held: map[string]bool{},
		part: &platform.Part{Areas: d.areas, Contents: d.contents, Notes: d.notes}}
	pl.holdRequested()
	if err := pl.run(ctx); err != nil {
		return nil, err
	}
	pl.afterInstalls(deferred) // after.go
	pl.addContentDiffs()       // content_diff.go
	return pl.part, nil
}

// fromRecords makes a generation's records the desired state.
//
// A user's files go to the uid and gid the user has now (OwnerNow: the
// account database, or the accounts this plan creates), not to the
// recorded ones, which can be another account's by now; it would then
// own the user's copies, their folders, and run their on_change hooks.
func (l *site) fromRecords(recs *Records) *desired {
	d := &desired{roots: map[string]rootDir{}, areas: map[string]generations.Area{}}
	for _, f := range recs.Files {
		user := userOf(f.Root)
		if !l.Manages(user) {
			continue
		}
		c := *f
		c.recordedBackup, c.recordedBackupOf = f.Backup, f.BackupOf
		c.Backup, c.BackupOf = "", nil
		if user != "" {
			c.UID, c.GID = l.OwnerNow(user, c.UID, c.GID)
		}
		d.files = append(d.files, &c)
		if _, ok := d.roots[f.Root]; !ok {
			dir := strings.TrimSuffix(f.Path, "/"+filepath.FromSlash(f.Rel))
			mode := uint32(0o700)
			if user == "" {
				mode = 0o755
			}
			uid, gid := c.UID, c.GID
			if user == "" {
				uid, gid = rootID(l), rootID(l)
			}
			d.roots[f.Root] = rootDir{Root: f.Root, Dir: dir, User: userOf(f.Root), UID: uid, GID: gid, Mode: mode}
			if u := userOf(f.Root); u != "" && l.Privileged && u != l.User {
				ConfineHome(l.Sys, dir)
			}
			// The areas, for the rollback to give them to the uids the
			// users have now (generations.Store.ProtectAreas).
			if user != "" {
				d.areas[f.Root] = l.HomeArea(user, uid, gid, l.Privileged)
			}
		}
	}
	return d
}

// planner holds one plan's working state.
type planner struct {
	l            *site
	d            *desired
	applied      *Records
	appliedFiles map[string]*File
	part         *platform.Part

	records Records
	lives   []live
	// fromRecords: the desired state is a generation's (rollback).
	fromRecords bool
	// storeEdits are the /etc links whose stored content was edited in
	// place (etcStoreEdits), by path.
	storeEdits map[string]generations.EditedFile
	// desiredPaths are the paths of the plan's files (isDesired; made
	// when first asked).
	desiredPaths map[string]bool
	// held are the files roots left as they are (see held.go).
	held     map[string]bool
	dirs     map[string]*dirState // machine path → state of a folder on the way
	removing map[string]bool      // paths this plan removes
	gone     []*File              // the files managed before and not now (planGone)
	// resolved: a folder of dirs is a symlink to one (realDir differs
	// from its path for the folders under it).
	resolved bool
	// changesCap is the room the changes are made with (see run).
	changesCap int
	// seen are the Lstats of the files force = true keeps, by path
	// (keptOpener).
	seen map[string]fs.FileInfo
}

// keptSeen notes that the file force = true keeps at p is the one fi
// describes.
func (pl *planner) keptSeen(p string, fi fs.FileInfo) {
	if pl.seen == nil {
		pl.seen = map[string]fs.FileInfo{}
	}
	pl.seen[p] = fi
}

// dirState is a folder between a files root and a managed file.
type dirState struct {
	root, rel string
	live      live
	// resolved is where a symlinked folder leads (a machine path inside
	// its root).
	resolved string
}

func (pl *planner) run(ctx context.Context) error {
	files := pl.d.files
	pl.lives = make([]live, len(files))
	pl.storeEdits = pl.etcStoreEdits()
	pl.planGone()
	settled := pl.newSettled() // settled.go; its clock before the folders' stats
	if err := pl.checkFolders(); err != nil {
		return err
	}
	errs, err := pl.readAll(ctx, settled)
	if err != nil {
		return err
	}
	if err := pl.placeUnread(errs); err != nil {
		return err
	}
	// Folders that go away first, so a path can change shape in one plan
	// (a linked folder becoming a folder of links, and back).
	pl.planDirRemovals()
	for i, f := range files {
		if pl.held[f.Root] {
			continue
		}
		if len(pl.removing) > 0 && (pl.removing[f.Path] || pl.underRemoved(filepath.Dir(f.Path))) {
			// What is there now goes away earlier in this plan.
			pl.lives[i] = live{kind: absent}
		}
		if pl.takesOver(f) {
			// Another provider's file, which it removes in this plan.
			pl.lives[i] = live{kind: absent}
		}
		if err := pl.planFile(f, &pl.lives[i]); err != nil {
			// A home's file that changed under the plan (a folder on
			// the way swapped for a link between its lstat and its
			// open, the file gone) holds that home alone (tester V: a
			// race in her home failed root's whole plan, one run in
			// 15). Another error (EIO, EACCES, a bug) fails the plan.
			if changedUnder(err) && pl.hold(f.Root, fileID(f.Root, f.Rel), f.Path, err) {
				continue
			}
			return err
		}
	}
	pl.planDirCreations()
	if err := pl.planNewHomes(); err != nil { // newhome.go
		return err
	}
	pl.planEdited()  // edited.go
	pl.checkAsides() // aside_taken.go
	pl.finishHeld()
	if len(pl.gone) > 0 {
		pl.notePaths() // moved.go
	}
	if !pl.fromRecords {
		pl.addOriginals()
	}
	pl.finishRecords()
	return nil
}

// changedUnder reports whether err is what reading a path meets when its
// account changes it under the reader, or keeps the reader out: a folder
// on the way that became a link (the confined walk's refusal, ELOOP,
// ENOTDIR), the file gone, or a lease on it (tester AA).
func changedUnder(err error) bool {
	return errors.Is(err, system.ErrOutside) || errors.Is(err, system.ErrIsSymlink) ||
		errors.Is(err, syscall.ELOOP) || errors.Is(err, syscall.ENOTDIR) || errors.Is(err, fs.ErrNotExist) ||
		errors.Is(err, system.ErrLeased)
}

// planGone plans the removal of the paths managed before and not any
// more, and sizes the plan's changes.
func (pl *planner) planGone() {
	files := pl.d.files
	appliedN := 0 // desired files that were applied
	for _, f := range files {
		if pl.appliedFiles[f.Path] != nil {
			appliedN++
		}
	}
	// Paths managed before and not any more (none when every applied
	// path is desired: the configuration's paths are unique, so counting
	// those that were applied tells, without a set of 10,000 paths; a
	// generation's records are not checked for that, and make the set).
	pl.removing = map[string]bool{}
	var gone []*File
	var wanted map[string]bool
	if appliedN < len(pl.applied.Files) || pl.fromRecords {
		wanted = make(map[string]bool, len(files))
		for _, f := range files {
			wanted[f.Path] = true
		}
	}
	for _, a := range pl.applied.Files {
		if wanted == nil || wanted[a.Path] {
			continue
		}
		if !pl.l.Manages(userOf(a.Root)) {
			pl.records.Files = append(pl.records.Files, a)
			continue
		}
		gone = append(gone, a)
	}
	// Room for the changes at once: a path desired and not applied
	// yet is a change, and so are the folders made for it, about one
	// for every few files (a first switch of 10,000 dotfiles makes
	// 11,102 changes of 200 bytes, which growing by appending copied
	// about five times over).
	n := len(files) - appliedN + len(gone)
	pl.changesCap = n + n/8 + 8
	for _, a := range gone {
		pl.planRemoval(a)
	}
	pl.gone = gone
}

// readAll reads the live state of every desired path into pl.lives,
// in parallel, but for the links of settled folders (settled.go; nil:
// none); it returns each path's read error.
func (pl *planner) readAll(ctx context.Context, settled *settled) ([]error, error) {
	files := pl.d.files
	errs := make([]error, len(files))
	var skip []bool
	if settled != nil {
		skip = settled.skip(pl)
	}
	parallelRanges(len(files), func(lo, hi int) {
		ps := make([]string, 0, hi-lo)
		at := make([]int, 0, hi-lo)
		for i := lo; i < hi; i++ {
			if skip == nil || !skip[i] {
				ps, at = append(ps, files[i].Path), append(at, i)
			}
		}
		if len(at) == hi-lo {
			readLives(pl.l.Sys, ps, pl.lives[lo:hi], errs[lo:hi])
			return
		}
		lives, es := make([]live, len(ps)), make([]error, len(ps))
		readLives(pl.l.Sys, ps, lives, es)
		for k, i := range at {
			pl.lives[i], errs[i] = lives[k], es[k]
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if settled != nil {
		settled.record(pl, errs)
	}
	return errs, nil
}

// placeUnread decides for each path that could not be read (errs[i]):
// it is absent when this plan removes a folder on its way (gocfg's own
// link to a linked folder, which leads out of the home); otherwise its
// home is held (once: checkFolders may have held it for the folder on
// the way), or the plan fails.
func (pl *planner) placeUnread(errs []error) error {
	files := pl.d.files
	for i, err := range errs {
		switch {
		case err == nil, pl.held[files[i].Root]:
		case pl.underRemoved(filepath.Dir(files[i].Path)):
			pl.lives[i] = live{kind: absent}
		case !pl.hold(files[i].Root, fileID(files[i].Root, files[i].Rel), files[i].Path, err):
			return fmt.Errorf("%s: %w", files[i].Path, unwrapPath(err))
		}
	}
	return nil
}

// finishRecords sorts the records the plan made, never null in JSON.
func (pl *planner) finishRecords() {
	sort.Slice(pl.records.Files, func(i, j int) bool { return pl.records.Files[i].Path < pl.records.Files[j].Path })
	sort.Slice(pl.records.Dirs, func(i, j int) bool { return pl.records.Dirs[i].Path < pl.records.Dirs[j].Path })
	if pl.records.Files == nil {
		pl.records.Files = []*File{}
	}
	if pl.records.Dirs == nil {
		pl.records.Dirs = []*Dir{}
	}
	pl.part.Records = &pl.records
}

// checkFolders reads every folder between a files root and a desired
// file once, and refuses folders that lead out of their root.
func (pl *planner) checkFolders() error {
	l := pl.l
	pl.dirs = map[string]*dirState{}
	var order []string
	var last *File
	for _, f := range pl.d.files {
		// The files of a folder come one after another: the folders
		// above the previous one's are above this one's.
		if last != nil && f.Root == last.Root && sameParent(f.Rel, last.Rel) {
			continue
		}
		last = f
		root := pl.d.roots[f.Root]
		rel := f.Rel
		for {
			i := strings.LastIndexByte(rel, '/')
			if i < 0 {
				rel = ""
			} else {
				rel = rel[:i]
			}
			p := root.Dir
			if rel != "" {
				p = filepath.Join(root.Dir, filepath.FromSlash(rel))
			}
			if _, ok := pl.dirs[p]; ok {
				break
			}
			pl.dirs[p] = &dirState{root: f.Root, rel: rel}
			order = append(order, p)
			if rel == "" {
				break
			}
		}
	}
	errs := pl.readFolders(order)
	// A folder this plan removes, or one under it, is absent for planning
	// (it may be gocfg's own link to a linked folder).
	if len(pl.removing) > 0 {
		for _, p := range order {
			if pl.underRemoved(p) {
				pl.dirs[p].live = live{kind: absent}
			}
		}
	}
	// Symlinked folders must resolve inside their root.
	resolvedRoot := map[string]string{}
	for _, p := range order {
		ds := pl.dirs[p]
		if ds.live.kind != isLink {
			continue
		}
		root := pl.d.roots[ds.root]
		if pl.held[ds.root] {
			continue
		}
		rr, ok := resolvedRoot[root.Root]
		if !ok {
			var err error
			rr, err = l.Sys.EvalSymlinks(root.Dir)
			if err != nil {
				if pl.hold(ds.root, dirID(ds.root, ""), root.Dir, err) {
					continue
				}
				return fmt.Errorf("%s: %w", root.Dir, err)
			}
			resolvedRoot[root.Root] = rr
		}
		if ds.rel == "" {
			continue // the home folder itself may be a link
		}
		real, err := l.Sys.EvalSymlinks(p)
		var perr *PathError
		if err != nil {
			perr = &PathError{Path: p, Problem: fmt.Sprintf("is a symlink that does not lead to a folder inside %s: %s", root.Dir, platform.Printable(fmt.Sprint(unwrapPath(err)))),
				Hint: system.OutsideHint}
		} else if !within(real, rr) {
			perr = &PathError{Path: p, Problem: fmt.Sprintf("is a symlink to %s, outside %s", platform.Printable(real), root.Dir),
				Hint: system.OutsideHint}
		}
		if perr != nil {
			if pl.hold(ds.root, dirID(ds.root, ds.rel), p, perr) {
				continue
			}
			return perr
		}
		ds.live.kind = isDir // usable as a folder
		ds.resolved = real
		pl.resolved = true
	}
	// Folders that could not be read (after the links on their way, which
	// say best what is wrong).
	for i, err := range errs {
		ds := pl.dirs[order[i]]
		if err != nil && !pl.held[ds.root] && !pl.underRemoved(order[i]) && !pl.hold(ds.root, dirID(ds.root, ds.rel), order[i], err) {
			return fmt.Errorf("%s: %w", order[i], unwrapPath(err))
		}
	}
	return nil
}

// readFolders reads what is at each folder of order into pl.dirs and
// returns the errors, index for index. The folders are read with
// siblings next to each other (readLiveDirs: each folder is resolved
// once for the folders in it), in as many ranges as parallelRanges
// runs at once; order itself is left as it is, since it sets which
// problem is reported first.
func (pl *planner) readFolders(order []string) []error {
	byParent := make([]int, len(order))
	for i := range byParent {
		byParent[i] = i
	}
	slices.SortFunc(byParent, func(a, b int) int {
		if c := strings.Compare(filepath.Dir(order[a]), filepath.Dir(order[b])); c != 0 {
			return c
		}
		return strings.Compare(order[a], order[b])
	})
	ps := make([]string, len(order))
	for k, i := range byParent {
		ps[k] = order[i]
	}
	lives, errs := make([]live, len(ps)), make([]error, len(ps))
	parallelRanges(len(ps), func(lo, hi int) {
		readLiveDirs(pl.l.Sys, ps[lo:hi], lives[lo:hi], errs[lo:hi])
	})
	out := make([]error, len(order))
	for k, i := range byParent {
		pl.dirs[order[i]].live, out[i] = lives[k], errs[k]
	}
	return out
}

// sameParent reports whether slash paths a and b are in the same folder.
func sameParent(a, b string) bool {
	i, j := strings.LastIndexByte(a, '/'), strings.LastIndexByte(b, '/')
	return i == j && a[:max(i, 0)] == b[:max(j, 0)]
}

// underRemoved reports whether p or a folder above it is a path this plan
// removes.
func (pl *planner) underRemoved(p string) bool {
	for q := p; q != "/" && q != "." && q != ""; q = filepath.Dir(q) {
		if pl.removing[q] {
			return true
		}
	}
	return false
}

// realDir returns the folder dir really is, following the symlinked
// folders met on the way (relative link targets are counted from there).
func (pl *planner) realDir(dir string) string {
	for q := dir; q != "/" && q != "."; q = filepath.Dir(q) {
		ds, ok := pl.dirs[q]
		if !ok {
			break
		}
		if ds.resolved != "" {
			return ds.resolved + dir[len(q):]
		}
	}
	return dir
}

func within(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, strings.TrimSuffix(dir, "/")+"/")
}

// A PathError is a path on the machine that stops the plan.
type PathError struct {
	Path, Problem, Hint string
}

func (e *PathError) Error() string { return e.Path + ": " + e.Problem }

// planFile decides what to do with one desired file: the decision shared
// with unit files and plists (package managed), carried out with this
// provider's methods, modes and hooks.
func (pl *planner) planFile(f *File, lv *live) error {
	l := pl.l
	a := pl.appliedFiles[f.Path]
	if !pl.carryApplied(f, a) {
		return nil
	}
	if f.Method == "link" && l.Offline && pl.resolved { // else realDir(dir) is dir
		if dir := filepath.Dir(f.Path); pl.realDir(dir) != dir {
			f.Target = l.linkTargetIn(pl.realDir(dir), f.Root, f.Rel)
		}
	}
	state, before, err := pl.liveState(f, a, lv)
	if err != nil {
		return err
	}
	if e, edited := pl.storeEdits[f.Path]; edited && a != nil && (state == managed.Desired || state == managed.Ours) {
		// Even with its content unchanged: the link shows the content
		// of the generation rolled back to.
		pl.storeEditConflict(fileID(f.Root, f.Rel), f.Path, e)
		return nil
	}
	d := managed.Decide(pl.decisionInput(f, a, lv, state))
	if (d.Action == managed.Keep || d.Action == managed.Adopt) && !d.Replace {
		pl.planAsDesired(f, a, lv)
		return nil
	}
	ch := pl.fileChange(f)
	switch d.Action {
	case managed.Create:
		aside := pl.appearedAside(f, a, lv) // after.go
		pl.record(f)
		ch.Action = platform.Create
		if d.Why == managed.RemovedByHand {
			ch.Drift = "removed by hand since gocfg made it"
		}
		ch.Ops = []platform.Op{pl.placeOp(f, nil, aside)}
		pl.addWithHooks(ch, f)
		return nil
	case managed.Update:
		pl.record(f)
		ch.Action, ch.Before = platform.Update, describeWas(a)
		if a != nil && a.Root == etcRoot && f.Root == etcPrivateRoot && a.Hash == f.Hash {
			ch.Note = joinNote(ch.Note, publishedNote)
		}
		// gocfg's own file is moved aside (and deleted at commit) rather
		// than replaced in place: an edit made since the plan is seen.
		ch.Ops = []platform.Op{pl.placeOp(f, nil, &Aside{Path: l.asidePath(f.Path), Seen: seenOf(lv)})}
		pl.addWithHooks(ch, f)
		return nil
	case managed.Conflict:
		pl.fileConflict(f, lv, d)
		return nil
	}
	// Something gocfg did not put there is in the way.
	if d.Why == managed.ChangedByHand {
		ch.Drift = "changed by hand since gocfg wrote it"
	}
	ch.Before = before
	return pl.planInTheWay(f, a, lv, d, ch)
}

// liveState classifies what is at f's path for the shared decision: as
// desired, gocfg's own (as applied record a made it), a file with the
// desired content in place of a link, or something else. before is what
// the plan shows was there: a file's content is named only when a
// comparison with a copy's needed it.
func (pl *planner) liveState(f, a *File, lv *live) (state managed.Live, before string, err error) {
	matches, err := pl.matches(f, lv, f.Path)
	switch {
	case err != nil:
		return 0, "", err
	case matches:
		return managed.Desired, "", nil
	case lv.kind == absent:
		return managed.Absent, "", nil
	}
	if a != nil {
		ours, err := pl.matches(a, lv, f.Path)
		if err != nil {
			return 0, "", err
		}
		if ours {
			return managed.Ours, "", nil
		}
	}
	before = lv.describe()
	if lv.kind == isFile && f.Method != "live" && !f.Folder {
		h, err := lv.contentHash(pl.l.Sys, f.Path)
		if err != nil {
			return 0, "", err
		}
		if h == f.Hash {
			return managed.SameContent, before, nil
		}
	}
	return managed.Other, before, nil
}

// fileChange is the change of desired file f, before the plan decides
// its action: made only for a file that changes (a no-op switch of
// 10,000 files made 40,000 strings and slices for none).
func (pl *planner) fileChange(f *File) platform.Change {
	deps := rootDeps(f.Root, pl.parentID(f))
	if pl.takesOver(f) {
		deps = append(deps, pl.l.released[f.Path])
	}
	return platform.Change{ID: fileID(f.Root, f.Rel), Kind: "file", After: describeWant(f), Deps: deps}
}

// takesOver reports whether f's path is another provider's file that
// it removes earlier in this plan (site.released), and not a file
// gocfg's files recorded.
func (pl *planner) takesOver(f *File) bool {
	if len(pl.l.released) == 0 {
		return false
	}
	_, ok := pl.l.released[f.Path]
	return ok && pl.appliedFiles[f.Path] == nil
}

// planAsDesired keeps or adopts a file that is already as desired: a
// copy's mode and owner may still change, a link's content changes with
// the generation.
func (pl *planner) planAsDesired(f, a *File, lv *live) {
	pl.record(f)
	if f.Method == "copy" {
		if op := pl.attrOp(f, lv); op != nil {
			ch := pl.fileChange(f)
			ch.Action, ch.Before, ch.After = platform.Update, modeString(lv), fmt.Sprintf("%04o", f.Mode)
			if op.UID >= 0 && op.UID != op.PrevUID || op.GID >= 0 && op.GID != op.PrevGID {
				ch.Before += ", owner " + recdiff.Owner(op.PrevUID, op.PrevGID)
				ch.After += ", owner " + recdiff.Owner(op.UID, op.GID)
			}
			if a == nil {
				ch.Note = "same content: adopted"
			}
			ch.Ops = []platform.Op{op}
			pl.add(ch)
			return
		}
	}
	switch {
	case a == nil:
		f.Original = originalOf(lv, f.Hash).in(f.Root)
		ch := pl.fileChange(f)
		ch.Action, ch.Note = platform.Update, "already as desired: adopted"
		pl.add(ch)
	case f.Method == "link" && (a.Hash != f.Hash || a.Exec != f.Exec):
		ch := pl.fileChange(f)
		ch.Action, ch.Before, ch.After = platform.Update, contentString(a), contentString(f)
		pl.addWithHooks(ch, f)
	}
}

// planInTheWay replaces what is in the way of f: a file with the same
// content (adopted), anything but a folder with force = true, or
// anything moved to its backup with --backup-ext.
func (pl *planner) planInTheWay(f, a *File, lv *live, d managed.Decision, ch platform.Change) error {
	l := pl.l
	aside := &Aside{Path: l.asidePath(f.Path), Seen: seenOf(lv)}
	switch d.Action {
	case managed.Adopt:
		pl.record(f)
		if a == nil {
			f.Original = originalOf(lv, f.Hash).in(f.Root)
		}
		ch.Action, ch.Note = platform.Update, "same content: adopted"
		ch.Ops = []platform.Op{pl.placeOp(f, nil, aside)}
		pl.add(ch)
		return nil
	case managed.Force:
		pl.record(f)
		ch.Action, ch.Note = platform.Update, "replaces what is there (force = true)"
		if a == nil {
			// Kept in the store, and put back when gocfg lets go of it:
			// exactly the file the Lstat saw (kept.go).
			var h string
			if lv.kind == isFile {
				if why := unkeptWhy(lv.info, pl.d.roots[f.Root]); why != "" {
					pl.fileConflictAt(f, why, platform.Fix("move it away"))
					return nil
				}
				var err error
				if h, err = keptHash(l.Sys, f.Path, lv); errors.Is(err, errNotSeen) {
					pl.fileConflictAt(f, "the file in the way "+errNotSeen.Error(), platform.Fix("switch again"))
					return nil
				} else if err != nil {
					return err
				}
				pl.keptSeen(f.Path, lv.info)
			}
			if isTooLarge(h) {
				pl.fileConflictAt(f, fmt.Sprintf("a file of %d MiB is in the way, too large to keep to put back (force = true keeps what it replaces)", lv.info.Size()>>20),
					platform.Fix("move it away"))
				return nil
			}
			orig := originalOf(lv, h).in(f.Root)
			if pl.fromRecords && !sameOriginal(orig, f.Original) {
				pl.rollbackConflict(f, lv)
				return nil
			}
			f.Original = orig
			ch.Note = "replaces what is there (force = true; kept, and put back when gocfg lets go)"
		}
	case managed.Backup:
		backup := f.Path + l.Switch.BackupExt
		if f.backupAgain {
			backup = f.recordedBackup
		}
		// The backup of what was there before gocfg is the one put back
		// when gocfg lets go; a later one (of a hand edit) is kept, but
		// does not take its place.
		ch.Action, ch.Note = platform.Update, "backup to "+backup
		switch {
		case f.backupAgain:
			// The generation records this backup: put back when gocfg
			// lets go, as before.
			ch.Note += " again: it is what that generation moved there, which a later one put back"
		case a == nil && pl.fromRecords && f.Backup != backup:
			// A rollback records no generation: the backup is kept,
			// but the generation's records cannot say to put it back.
			ch.Note += " (kept; a rollback does not put it back when gocfg lets go)"
		case a == nil:
			f.Backup = backup
			h, err := lv.contentHash(l.Sys, f.Path)
			if err != nil {
				return err
			}
			if !isTooLarge(h) { // a size is no content to know it by
				f.BackupOf = originalOf(lv, h).in(f.Root)
			}
		}
		pl.record(f)
		aside = &Aside{Path: backup, Keep: true, Seen: seenOf(lv)}
	}
	ch.Ops = []platform.Op{pl.placeOp(f, nil, aside)}
	pl.addWithHooks(ch, f)
	return nil
}

// fileConflict reports what stops f: something in the way, gocfg's file
// changed by hand, or a backup path that is taken.
func (pl *planner) fileConflict(f *File, lv *live, d managed.Decision) {
	if d.Why == managed.BackupTaken {
		backup := f.Path + pl.l.Switch.BackupExt
		if pl.isDesired(backup) {
			pl.fileConflictAt(f, fmt.Sprintf("%s is in the way, and its backup path %s is a file gocfg manages", describeKind(lv), backup),
				platform.Fix("pick another --backup-ext"))
			return
		}
		pl.fileConflictAt(f, fmt.Sprintf("%s is in the way, and its backup path %s exists already", describeKind(lv), backup),
			platform.Fix("move or delete "+backup+", or pick another --backup-ext"))
		return
	}
	problem := describeKind(lv) + " is in the way"
	if d.Why == managed.ChangedByHand {
		problem = "gocfg's file was changed by hand (" + lv.describe() + ")"
	}
	if state := pl.otherGocfg(lv); state != "" {
		pl.fileConflictAt(f, otherGocfgProblem(state),
			platform.Reconfigure("declare "+f.Path+" in one of the two configurations only, and let the other gocfg let go of it (or move it away there)"))
		return
	}
	remedies := []platform.Remedy{platform.Fix("move it away, or pass --backup-ext EXT to keep it as " + f.Path + ".EXT")}
	if d.Remedies.Has(managed.ForceIt) {
		remedies = append(remedies, platform.Reconfigure(forceRemedy(f)))
	}
	pl.fileConflictAt(f, problem, remedies...)
}

// carryApplied carries what the current generation recorded of f's
// path (a, nil for none) into f: the backup and the original to put
// back when gocfg lets go. false: a rollback would lose the original the
// current generation keeps (originalConflict), and f is not planned.
func (pl *planner) carryApplied(f, a *File) bool {
	if a == nil {
		return true
	}
	if a.Backup != "" {
		f.Backup, f.BackupOf = a.Backup, a.BackupOf
	}
	if pl.fromRecords && a.Original != nil && !sameOriginal(a.Original, f.Original) {
		pl.originalConflict(f)
		return false
	}
	f.Original = a.Original
	return true
}

// decisionInput is what the decision on f (a: its applied record, lv
// and state: what is there) takes.
func (pl *planner) decisionInput(f, a *File, lv *live, state managed.Live) managed.Input {
	l := pl.l
	in := managed.Input{Wanted: true, Applied: a != nil, Live: state, Force: f.Force && lv.kind != isDir,
		BackupExt: l.Switch.BackupExt != "", CanBackup: true, CanForce: lv.kind != isDir}
	if pl.fromRecords && in.BackupExt {
		// A rollback keeps what force would replace nowhere
		// (rollbackConflict): with --backup-ext it is backed up.
		in.Force = false
	}
	if pl.otherGocfg(lv) != "" {
		// Neither forced nor backed up: the other gocfg would take it
		// back at its next switch (otherGocfg).
		in.Force, in.BackupExt, in.CanBackup, in.CanForce = false, false, false, false
		return in
	}
	if pl.fromRecords && !in.BackupExt && state == managed.Other && pl.backupAgain(f, lv) {
		in.BackupExt, in.Force = true, false
		f.backupAgain = true
	}
	if state == managed.Other && in.BackupExt && !in.Force && !f.backupAgain {
		_, err := l.Sys.Lstat(f.Path + l.Switch.BackupExt)
		in.BackupTaken = err == nil || pl.isDesired(f.Path+l.Switch.BackupExt)
	}
	return in
}

// backupAgain says whether what is in the way of f, in a rollback, is
// what f's generation moved to its backup, which a later generation put
// back when it let go of the path (tester J: the rollback stopped at
// the file gocfg itself had put back): the rollback may move it to that
// backup again, when that is free, as the generation's switch did.
//
// A backup the generation made of what a package of its switch put at
// the path after the plan (<path>.gocfg-orig, after.go) has no recorded
// content to compare: the rollback moves whatever is there to it, as
// that switch did. Nothing is lost: it is kept there, and put back when
// gocfg lets go of the path (tester W: the rollback stopped at the
// locales package's /etc/locale.gen, which gocfg had put back, and
// forced over with --backup-ext, the next switch lost it).
func (pl *planner) backupAgain(f *File, lv *live) bool {
	appeared := f.recordedBackup != "" && f.recordedBackup == f.Path+appearedSuffix && f.recordedBackupOf == nil
	if f.recordedBackup == "" || f.recordedBackupOf == nil && !appeared || (lv.kind != isFile && lv.kind != isLink) {
		return false
	}
	if _, err := pl.l.Sys.Lstat(f.recordedBackup); err == nil || pl.isDesired(f.recordedBackup) {
		return false
	}
	if appeared {
		return true
	}
	var h string
	if lv.kind == isFile {
		var err error
		if h, err = lv.contentHash(pl.l.Sys, f.Path); err != nil || isTooLarge(h) {
			return false
		}
	}
	return sameOriginal(originalOf(lv, h).in(f.Root), f.recordedBackupOf)
}

// isDesired reports whether p is the path of a file this plan manages
// (a --backup-ext backup cannot go there: the switch would make that
// file over the backup, and fail).
func (pl *planner) isDesired(p string) bool {
	if pl.desiredPaths == nil {
		pl.desiredPaths = make(map[string]bool, len(pl.d.files))
		for _, f := range pl.d.files {
			pl.desiredPaths[f.Path] = true
		}
	}
	return pl.desiredPaths[p]
}

// rollbackConflict stops f, which force = true would replace, in a
// rollback: a switch keeps what force replaces in the new generation's
// store and puts it back when gocfg lets go of the path, but a rollback
// makes an earlier generation current as it was recorded, so what it
// replaced would be kept nowhere and lost. Unless the generation
// recorded this very file as the original (then it is in its store).
func (pl *planner) rollbackConflict(f *File, lv *live) {
	pl.conflict(fileID(f.Root, f.Rel), f.Path,
		describeKind(lv)+" is in the way; force = true would replace it, but a rollback keeps nowhere what it replaces",
		platform.Fix("pass --backup-ext EXT to keep it as "+f.Path+".EXT, or move it away"))
}

// originalConflict stops a rollback to a generation that manages f's
// path but does not keep the original the current generation keeps
// (what was there before gocfg, which a switch forced over after that
// generation was made): the rollback makes that generation current as
// recorded, so the original would be put back by no later step, and
// its only copy deleted with the current generation.
func (pl *planner) originalConflict(f *File) {
	pl.conflict(fileID(f.Root, f.Rel), f.Path,
		fmt.Sprintf("generation %d keeps what was here before gocfg, to put back when gocfg lets go; generation %d does not, so a rollback would lose it", pl.l.Current, pl.l.To),
		platform.Fix("switch to that generation's configuration instead (gocfg switch), which keeps it, or rollback to a generation that manages the path as the current one does"))
}

// sameOriginal reports whether a and b are the same original (nil
// for none).
func sameOriginal(a, b *Original) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

func (pl *planner) record(f *File) { pl.records.Files = append(pl.records.Files, f) }

// addWithHooks adds a change that runs f's on_change script.
func (pl *planner) addWithHooks(ch platform.Change, f *File) {
	if f.OnChange != "" {
		ch.Hooks = []platform.Hook{hookOf(pl.l, ch.ID, f)}
	}
	pl.add(ch)
}

// hookOf is f's on_change hook: as the home's user, or as root for /etc
// (whoever owns the file).
func hookOf(l *site, id string, f *File) platform.Hook {
	if userOf(f.Root) == "" {
		return platform.Hook{ID: id, Script: f.OnChange, UID: rootID(l), GID: rootID(l)}
	}
	return platform.Hook{ID: id, Script: f.OnChange, UID: hookID(l, f.UID), GID: hookID(l, f.GID), Home: f.Home, User: userOf(f.Root)}
}

func hookID(l *site, id int) int {
	if !l.Privileged {
		return -1
	}
	return id
}

// forceRemedy is the remedy of setting force on the entry that defines
// f: its option, home.alice.files.".zshrc".force (a recursive folder's
// file: the folder's entry), or environment.etc."<path>"'s force.
func forceRemedy(f *File) string {
	return "or set force = true on " + f.optionName() + " to replace it"
}

// optionName is the option that defines f: its entry's (f.option),
// else, planned from records, which keep no option, the one its path
// would have.
func (f *File) optionName() string {
	switch {
	case f.option != "":
		return f.option
	case userOf(f.Root) == "":
		return etcOption(f.Rel)
	}
	return homeOption(userOf(f.Root), f.Rel)
}

// conflict is a conflict at p that names no option (a folder on the
// way, a rollback's).
func (pl *planner) conflict(id, p, problem string, remedies ...platform.Remedy) {
	pl.conflictOf(platform.Conflict{ID: id, Path: p, Problem: problem, Remedies: remedies})
}

// fileConflictAt is a conflict at f's path that names the option
// defining f, so that the error points at its definition: for a file a
// module makes, the option that makes it (the user sets that one; the
// module's line would not help).
func (pl *planner) fileConflictAt(f *File, problem string, remedies ...platform.Remedy) {
	option := f.option
	if f.madeBy != "" {
		option = f.madeBy
	}
	pl.conflictOf(platform.Conflict{ID: fileID(f.Root, f.Rel), Path: f.Path, Problem: problem, Option: option, Remedies: remedies})
}

// conflictOf adds c, unless its files root is held already.
func (pl *planner) conflictOf(c platform.Conflict) {
	if pl.held[rootOfID(c.ID)] {
		return // held already, for what made its state unreadable
	}
	pl.part.Conflicts = append(pl.part.Conflicts, c)
}

func (pl *planner) add(ch platform.Change) {
	if pl.part.Changes == nil {
		pl.part.Changes = make([]platform.Change, 0, pl.changesCap)
	}
	pl.part.Changes = append(pl.part.Changes, ch)
}

// parentID is the ID of the folder holding f.
func (pl *planner) parentID(f *File) string {
	i := strings.LastIndexByte(f.Rel, '/')
	if i < 0 {
		return dirID(f.Root, "")
	}
	return dirID(f.Root, f.Rel[:i])
}

// matches reports whether the live state at p is what f describes.
func (pl *planner) matches(f *File, lv *live, p string) (bool, error) {
	switch f.Method {
	case "link", "live":
		return lv.kind == isLink && lv.target == f.Target, nil
	case "copy":
		if lv.kind != isFile {
			return false, nil
		}
		h, err := lv.contentHash(pl.l.Sys, p)
		return h == f.Hash, err
	}
	return false, fmt.Errorf("%s: unknown method %q", p, f.Method)
}

// placeOp makes f on the machine, replacing prev (gocfg's own) or moving
// what is in the way aside.
func (pl *planner) placeOp(f *File, prev *Prev, aside *Aside) platform.Op {
	if f.Method == "copy" {
		return &WriteOp{Path: f.Path, Object: pl.l.Store.FilePath(pl.l.To, f.Root, f.Rel), Hash: f.Hash, Mode: f.Mode, UID: f.UID, GID: f.GID, Prev: prev, Aside: aside}
	}
	return &LinkOp{Path: f.Path, Target: f.Target, UID: f.UID, GID: f.GID, Prev: prev, Aside: aside}
}

// prevOf says how to put back what applied record a made, found on the
// machine as lv: a copy goes back with the owner it has now, which is
// the recorded one unless the user's uid changed since (usermod -u),
// when the recorded one may be another account's.
func (pl *planner) prevOf(a *File, lv *live) *Prev {
	if a.Method == "copy" {
		uid, gid := a.UID, a.GID
		if lv.info != nil && (uid >= 0 || gid >= 0) {
			if u, g := filestat.Owner(lv.info); u >= 0 {
				uid, gid = u, g
			}
		}
		return &Prev{Object: pl.l.Store.FilePath(pl.l.Current, a.Root, a.Rel), Hash: a.Hash, Mode: a.Mode, UID: uid, GID: gid}
	}
	return &Prev{Target: a.Target, UID: a.UID, GID: a.GID, LinkOwned: true}
}

func (pl *planner) attrOp(f *File, lv *live) *AttrOp {
	mode := lv.info.Mode().Perm() | lv.info.Mode()&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky)
	uid, gid := filestat.Owner(lv.info)
	modeOK := mode == f.Mode.Perm()|f.Mode&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky)
	ownerOK := (f.UID < 0 || f.UID == uid) && (f.GID < 0 || f.GID == gid)
	if modeOK && ownerOK {
		return nil
	}
	return &AttrOp{Path: f.Path, Mode: f.Mode, UID: f.UID, GID: f.GID, PrevMode: mode, PrevUID: uid, PrevGID: gid}
}

// planRemoval decides what to do with a path no longer managed.
func (pl *planner) planRemoval(a *File) {
	l := pl.l
	id := fileID(a.Root, a.Rel)
	lv, err := readLive(l.Sys, a.Path)
	if err != nil {
		pl.part.Warnings = append(pl.part.Warnings, fmt.Sprintf("%s: %v; left alone", a.Path, unwrapPath(err)))
		return
	}
	backupThere := false
	if a.Backup != "" {
		if _, err := l.Sys.Lstat(a.Backup); err == nil {
			backupThere = true
		}
	}
	ch := platform.Change{ID: id, Kind: "file", Before: describeWas(a), Deps: rootDeps(a.Root, pl.parentID(a))}
	ours, err := pl.matches(a, &lv, a.Path)
	if err != nil {
		pl.part.Warnings = append(pl.part.Warnings, fmt.Sprintf("%s: %v; left alone", a.Path, err))
		return
	}
	state := managed.Other
	switch {
	case ours:
		state = managed.Ours
	case lv.kind == absent:
		state = managed.Absent
	}
	if e, edited := pl.storeEdits[a.Path]; edited && state == managed.Ours {
		pl.storeEditConflict(id, a.Path, e)
		return
	}
	switch managed.Decide(managed.Input{Applied: true, Live: state}).Action {
	case managed.Remove:
		pl.planRemove(a, &lv, backupThere, ch)
	case managed.Gone:
		if backupThere {
			ch.Action, ch.Note, ch.Drift = platform.Restore, "puts back "+a.Backup, "removed by hand"
			ch.Ops = []platform.Op{&RestoreOp{Path: a.Path, Backup: a.Backup}}
		} else {
			ch.Action, ch.Drift = platform.Delete, "already removed by hand"
		}
		pl.add(ch)
	default:
		w := fmt.Sprintf("%s: changed by hand since gocfg wrote it (%s); left alone and no longer managed", a.Path, lv.describe())
		if backupThere {
			w += "; the backup " + a.Backup + " is kept"
		}
		pl.part.Warnings = append(pl.part.Warnings, w)
		pl.add(platform.Forget(id, "file"))
	}
}

// planRemove removes gocfg's own file a, putting back its backup or what
// was there before gocfg.
func (pl *planner) planRemove(a *File, lv *live, backupThere bool, ch platform.Change) {
	op := &RemoveOp{Path: a.Path, Aside: pl.l.asidePath(a.Path), Prev: pl.prevOf(a, lv)}
	if a.Method == "copy" {
		op.Hash = a.Hash
	} else {
		// Prev too: an undo makes the link again with its owner
		// (tester BE: root's links in her home after a failed switch).
		op.Target = a.Target
	}
	ch.Action = platform.Delete
	switch {
	case backupThere:
		op.Backup = a.Backup
		ch.Action, ch.Note = platform.Restore, "puts back "+a.Backup
	case a.Original != nil:
		op.Original = pl.prevOfOriginal(a)
		ch.Action, ch.Note = platform.Restore, "puts back what was there before gocfg"
	}
	ch.Ops = []platform.Op{op}
	pl.removing[a.Path] = true
	if op.Original == nil && op.Backup == "" {
		// Nothing comes back there: a later provider may take the path.
		pl.part.Release(a.Path, ch.ID)
	}
	if a.OnChange != "" && userOf(a.Root) == "" {
		// An /etc file's on_change also runs when the file goes (the
		// recorded script: sysctl --system, systemd-tmpfiles). A home
		// file's is about the file itself, and does not.
		ch.Hooks = []platform.Hook{hookOf(pl.l, ch.ID, a)}
	}
	pl.add(ch)
}

// planDirCreations creates the missing folders on the way to desired
// files and keeps the records of the ones gocfg created.
func (pl *planner) planDirCreations() {
	l := pl.l
	appliedDirs := map[string]*Dir{}
	for _, d := range pl.applied.Dirs {
		appliedDirs[d.Path] = d
	}
	paths := make([]string, 0, len(pl.dirs))
	for p := range pl.dirs {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	blocked := map[string]bool{}
	for _, p := range paths {
		ds := pl.dirs[p]
		root := pl.d.roots[ds.root]
		parentBlocked := false
		for q := filepath.Dir(p); within(q, root.Dir) && q != p; q = filepath.Dir(q) {
			if blocked[q] {
				parentBlocked = true
				break
			}
			if q == root.Dir {
				break
			}
		}
		if parentBlocked {
			blocked[p] = true
			continue
		}
		mode := pl.d.folderMode(root, ds.rel) // modes.go
		rec := &Dir{Path: p, Root: ds.root, Rel: ds.rel, Mode: mode, UID: root.UID, GID: root.GID}
		switch ds.live.kind {
		case isDir:
			if a, ok := appliedDirs[p]; ok && !pl.removing[p] {
				pl.records.Dirs = append(pl.records.Dirs, a)
			}
		case absent:
			if ds.rel == "" && l.newHomes[root.User] {
				continue // useradd makes it, before these files (Deps)
			}
			if ds.rel == "" && !l.Offline {
				pl.conflict(dirID(ds.root, ""), p, "the home folder does not exist", platform.Fix("create the user first (users."+root.User+"), or set users."+root.User+".home"))
				blocked[p] = true
				continue
			}
			pl.createDir(rec, root)
		default:
			if pl.removing[p] {
				pl.createDir(rec, root)
				continue
			}
			switch {
			case ds.rel == "" && ds.live.kind == isLink && userOf(root.Root) == "":
				// Root's own link was followed (site.etcDir).
				pl.conflict(dirID(ds.root, ""), p, "is a symbolic link (→ "+ds.live.target+") that an account other than root may change, which gocfg does not follow",
					platform.Fix("make the link and the folder it is in root's, or make "+p+" a folder"))
			case ds.rel == "" && ds.live.kind == isLink:
				pl.homeLinkConflict(root, p, ds.live.target)
			default:
				pl.conflict(dirID(ds.root, ds.rel), p, describeKind(&ds.live)+" is where a folder is needed", platform.Fix("move it away"))
			}
			blocked[p] = true
		}
	}
}

// homeLinkConflict reports a home that is a symbolic link (/home/alice
// → /data/alice, made by root). gocfg does not follow it (DESIGN.md §7:
// every path under a home resolves from the home's descriptor and
// follows no link), and moving it away, the hint for anything else in a
// folder's way, would lose the user's home: the account's home is to
// be the folder itself.
func (pl *planner) homeLinkConflict(root rootDir, p, target string) {
	to := target
	if !filepath.IsAbs(to) {
		to = filepath.Join(filepath.Dir(p), to)
	}
	tool := "usermod -d " + to + " " + root.User
	if pl.l.OS == "darwin" {
		tool = "dscl . -create /Users/" + root.User + " NFSHomeDirectory " + to
	}
	pl.conflict(dirID(root.Root, ""), p, "the home folder is a symbolic link (→ "+target+"), which gocfg does not follow into a home",
		platform.Reconfigure("make the account's home the folder it leads to: set users."+root.User+".home = \""+to+"\", or run "+tool))
}

// planDirRemovals removes the folders gocfg created that no desired file
// needs any more and that this plan empties, deepest first; the others
// stay recorded.
func (pl *planner) planDirRemovals() {
	l := pl.l
	var unneeded []*Dir
	for _, d := range pl.applied.Dirs {
		if _, needed := pl.dirs[d.Path]; !needed {
			unneeded = append(unneeded, d)
		}
	}
	sort.Slice(unneeded, func(i, j int) bool { return unneeded[i].Path > unneeded[j].Path })
	for _, d := range unneeded {
		if !l.Manages(userOf(d.Root)) {
			pl.records.Dirs = append(pl.records.Dirs, d)
			continue
		}
		lv, err := readLive(l.Sys, d.Path)
		if err != nil || lv.kind != isDir {
			continue // gone, or not a folder any more: forget it
		}
		if !pl.emptiedBy(d.Path) {
			pl.records.Dirs = append(pl.records.Dirs, d)
			continue
		}
		if pkg := pl.packageOwning(d); pkg != "" {
			// Made before the package that owns it was installed (the
			// same switch installed nginx and wrote its conf.d): the
			// package's now, left there and forgotten (tester W: the
			// last virtual host removed took nginx-common's
			// /etc/nginx/conf.d with it).
			owns := "the package " + pkg + " owns it"
			if strings.Contains(pkg, ",") {
				owns = "the packages " + pkg + " own it"
			}
			pl.part.Notes = append(pl.part.Notes, d.Path+" is left: "+owns)
			continue
		}
		pl.removing[d.Path] = true
		pl.part.Release(d.Path, dirID(d.Root, d.Rel))
		pl.add(platform.Change{ID: dirID(d.Root, d.Rel), Kind: "dir", Action: platform.Delete, Before: "folder",
			Deps: rootDeps(d.Root, parentDirID(d)), Ops: []platform.Op{&RmdirOp{Path: d.Path, Mode: d.Mode, UID: d.UID, GID: d.GID}}})
	}
}

// rootDeps are the IDs a change under a files root waits for: the
// account of a home's user (created, or deleted after, by the users
// provider), plus more.
func rootDeps(root string, more ...string) []string {
	if u := userOf(root); u != "" {
		return append([]string{users.UserID(u)}, more...)
	}
	return more
}

func parentDirID(d *Dir) string {
	i := strings.LastIndexByte(d.Rel, '/')
	if i < 0 {
		return dirID(d.Root, "")
	}
	return dirID(d.Root, d.Rel[:i])
}

func (pl *planner) createDir(rec *Dir, root rootDir) {
	pl.records.Dirs = append(pl.records.Dirs, rec)
	deps := rootDeps(rec.Root)
	if rec.Rel != "" {
		deps = append(deps, parentDirID(rec))
	}
	pl.add(platform.Change{ID: dirID(rec.Root, rec.Rel), Kind: "dir", Action: platform.Create, After: fmt.Sprintf("folder %04o", rec.Mode),
		Deps: deps, Ops: []platform.Op{&MkdirOp{Path: rec.Path, Mode: rec.Mode, UID: rec.UID, GID: rec.GID, Parents: rec.Rel == ""}}})
}

// emptiedBy reports whether a folder holds only paths this plan removes.
func (pl *planner) emptiedBy(dir string) bool {
	entries, err := pl.l.Sys.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if !pl.removing[filepath.Join(dir, e.Name())] {
			return false
		}
	}
	return true
}

func describeWant(f *File) string {
	switch f.Method {
	case "live":
		return "link → " + f.Target
	case "copy":
		return fmt.Sprintf("file %04o, content %s", f.Mode, short(f.Hash))
	}
	if f.Folder {
		return fmt.Sprintf("link to folder (%s)", plural(len(f.Files), "file"))
	}
	return "link, " + contentString(f)
}

func describeWas(a *File) string {
	switch a.Method {
	case "live":
		return "link → " + a.Target
	case "copy":
		return "file, content " + short(a.Hash)
	}
	if a.Folder {
		return fmt.Sprintf("link to folder (%s)", plural(len(a.Files), "file"))
	}
	return "link, " + contentString(a)
}

// contentString names a content and its executable bit.
func contentString(f *File) string {
	if f.Exec {
		return "content " + short(f.Hash) + " (executable)"
	}
	return "content " + short(f.Hash)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func describeKind(lv *live) string {
	switch lv.kind {
	case isLink:
		return "a symlink (→ " + lv.target + ")"
	case isFile:
		return "a file"
	case isDir:
		return "a folder"
	}
	return "a special file"
}

func modeString(lv *live) string {
	if lv.info == nil {
		return ""
	}
	return fmt.Sprintf("%04o", lv.info.Mode().Perm())
}

// ID is a file's resource ID.
func ID(f *File) string { return fileID(f.Root, f.Rel) }

// Describe says what a recorded file is, in plan terms.
func Describe(f *File) string { return describeWant(f) }

// SameManaged reports whether two records make the same file (method,
// content, target, mode, owner).
func SameManaged(a, b *File) bool {
	return a.Method == b.Method && a.Hash == b.Hash && a.Target == b.Target && a.Exec == b.Exec &&
		a.Mode == b.Mode && a.UID == b.UID && a.GID == b.GID && a.Folder == b.Folder
}
