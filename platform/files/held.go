package files

import (
	"errors"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// A user's broken or hostile home affects only that user's files
// (DESIGN.md §7): a home whose state cannot be read safely (a folder on
// the way that leads out of it, a file that cannot be read) or where a
// path is in the way is *held*. Its conflicts are reported with Held
// set, none of its files change, its records and stored contents are
// carried into the new generation as the current one has them (so its
// links keep working), and every other files root still switches; the
// command says the switch was partial (exit status 3); status reports
// the held conflicts and goes on with the other users. A rollback holds
// homes the same way: it then records a new generation, the target's
// files and records but for the held homes, which are the current
// generation's (Part.HeldRoots; tester AE: her edit of her
// authorized_keys, or her ~/.ssh a link out of her home, refused every
// root rollback, and deploy's automatic one). With
// Machine.Switch.FailFast (switch and rollback --fail-fast) nothing is
// held: a conflict refuses the whole switch, as one in /etc always does.

// canHold reports whether the files root may be held.
func (pl *planner) canHold(root string) bool {
	return userOf(root) != "" && !pl.l.Switch.FailFast
}

// hold holds root because of a problem at p, and reports whether it
// could (else the caller fails the plan).
func (pl *planner) hold(root, id, p string, err error) bool {
	if !pl.canHold(root) {
		return false
	}
	problem := unwrapPath(err).Error()
	var pe *PathError
	if errors.As(err, &pe) {
		problem = pe.Problem
	}
	remedies := []platform.Remedy{platform.Fix("replace the symlink with a folder, or point it inside the home folder")}
	switch {
	case errors.Is(err, system.ErrLeased):
		// Tester AB: not a symlink's.
		remedies = []platform.Remedy{platform.Fix(system.LeasedHint)}
	case errors.Is(err, fs.ErrNotExist):
		remedies = []platform.Remedy{platform.Fix("switch again: the file went while the plan read it")}
	}
	if errors.Is(err, system.ErrOutside) {
		problem = "a folder on the way is a symlink that leads out of the home folder; gocfg does not follow it"
		if link, target := pl.linkOnTheWay(root, p); link != "" {
			// Named, with where it leads (tester R: the message named
			// .config/nvim/lua, which did not exist, for the link
			// .config/nvim, and said "out of the home" of a link into
			// it).
			problem = link + ", a folder on the way, is a symlink (→ " + target + "); gocfg does not follow a symlink on the way in a home"
			remedies = []platform.Remedy{platform.Fix("replace " + link + " with a folder")}
			if state := pl.otherGocfg(&live{kind: isLink, target: target}); state != "" {
				problem += ": " + otherGocfgProblem(state)
				remedies = []platform.Remedy{platform.Reconfigure("declare the files under " + link + " in one of the two configurations only")}
			}
		}
	}
	if pe != nil && pe.Hint != "" {
		remedies = []platform.Remedy{platform.Fix(pe.Hint)}
	}
	pl.part.Conflicts = append(pl.part.Conflicts, platform.Conflict{ID: id, Path: p, Problem: problem, Remedies: remedies})
	pl.held[root] = true
	return true
}

// linkOnTheWay returns the first symlink on the way from root's folder
// to p, and its target ("" when none is found).
func (pl *planner) linkOnTheWay(root, p string) (link, target string) {
	base := pl.d.roots[root].Dir
	rel, ok := strings.CutPrefix(p, base+"/")
	if base == "" || !ok {
		return "", ""
	}
	at := base
	for _, part := range strings.Split(rel, "/") {
		at = path.Join(at, part)
		if t, err := pl.l.Sys.Readlink(at); err == nil {
			return at, t
		}
	}
	return "", ""
}

// holdRequested holds the homes of the users the switch holds
// (machine.Switch.Hold: a step in their home failed in an earlier try of
// this switch). The command reports why; here they are only left as
// they are.
func (pl *planner) holdRequested() {
	for u := range pl.l.Switch.Hold {
		if r := homeRoot(u); pl.canHold(r) {
			pl.held[r] = true
		}
	}
}

// rootOfID returns the files root a file: or dir: ID belongs to.
func rootOfID(id string) string {
	if u, ok := platform.HomeOf(id); ok {
		return homeRoot(u)
	}
	return etcRoot
}

// finishHeld holds every holdable root that has a conflict, and takes
// the held roots out of the plan: their changes are dropped, their
// records and contents are the current generation's.
func (pl *planner) finishHeld() {
	for _, c := range pl.part.Conflicts {
		if r := rootOfID(c.ID); pl.canHold(r) && !pl.l.Switch.ReportOnly {
			pl.held[r] = true
		}
	}
	if len(pl.held) == 0 {
		return
	}
	for i := range pl.part.Conflicts {
		c := &pl.part.Conflicts[i]
		if pl.held[rootOfID(c.ID)] {
			c.Held = true
		}
	}
	changes := pl.part.Changes[:0]
	for _, ch := range pl.part.Changes {
		if !pl.held[rootOfID(ch.ID)] {
			changes = append(changes, ch)
		} else {
			ch.Ops = nil // shown only
			pl.part.Held = append(pl.part.Held, ch)
		}
	}
	pl.part.Changes = changes
	files := pl.records.Files[:0]
	for _, f := range pl.records.Files {
		if !pl.held[f.Root] {
			files = append(files, f)
		}
	}
	dirs := pl.records.Dirs[:0]
	for _, d := range pl.records.Dirs {
		if !pl.held[d.Root] {
			dirs = append(dirs, d)
		}
	}
	var kept []*File
	for _, f := range pl.applied.Files {
		if pl.held[f.Root] {
			files = append(files, f)
			kept = append(kept, f)
		}
	}
	for _, d := range pl.applied.Dirs {
		if pl.held[d.Root] {
			dirs = append(dirs, d)
		}
	}
	pl.records.Files, pl.records.Dirs = files, dirs
	for r := range pl.held {
		// With the originals gocfg keeps of her files (tester AF: her
		// records named originals the rollback's tree lacked, and the
		// next switch failed for everyone).
		pl.part.HeldRoots = append(pl.part.HeldRoots, r, originalsRoot(r))
	}
	slices.Sort(pl.part.HeldRoots)
	pl.heldAreas(kept)
	desired := pl.part.Contents
	pl.part.Contents = func() []generations.Entry {
		var es []generations.Entry
		if desired != nil {
			for _, e := range desired() {
				if !pl.held[e.Root] {
					es = append(es, e)
				}
			}
		}
		return append(es, pl.l.storedContents(kept)...)
	}
}

// heldAreas gives the plan the store area of each held home that the
// configuration no longer has (tester AB: her home block removed, and
// her home held at the retry): the new generation carries her kept
// files and their originals there. Without it, writing the generation
// failed on an area with no name, and with it the whole switch.
func (pl *planner) heldAreas(kept []*File) {
	for _, f := range kept {
		user := userOf(f.Root)
		if _, ok := pl.part.Areas[f.Root]; ok || user == "" {
			continue
		}
		uid, gid := pl.l.OwnerNow(user, f.UID, f.GID)
		pl.part.Areas[f.Root] = pl.l.HomeArea(user, uid, gid, pl.l.Privileged)
	}
}

// storedContents lists the contents of files as the current generation
// stores them, for a new generation that carries them unchanged: hard
// linked from there, or copied and checked against their hash.
func (l *site) storedContents(files []*File) []generations.Entry {
	var es []generations.Entry
	for _, f := range files {
		switch {
		case f.Method == "live" || l.Current == 0:
		case f.Folder:
			for _, c := range f.Files {
				es = append(es, l.Store.Kept(l.Current, f.Root, path.Join(f.Rel, c.Rel), c.Hash, c.Exec))
			}
		default:
			es = append(es, l.Store.Kept(l.Current, f.Root, f.Rel, f.Hash, f.Exec))
		}
	}
	return es
}
