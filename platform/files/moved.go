package files

import "github.com/gocfg/gocfg/platform"

// notePaths names the paths of the files and folders whose home moved
// (a user's home changed from /home/alice to /data/alice): the plan
// removes file:~alice/.zshrc and makes file:~alice/.zshrc, the same
// ID, and showed nothing else to tell the two apart. Each such change
// gets "from" or "at" its path in its note. Only a plan that removes
// files (pl.gone) can have such pairs.
func (pl *planner) notePaths() {
	removed := map[string]bool{}
	for _, ch := range pl.part.Changes {
		if ch.Action == platform.Delete || ch.Action == platform.Restore {
			removed[ch.ID] = true
		}
	}
	from, to := map[string]string{}, map[string]string{}
	for _, ch := range pl.part.Changes {
		if removed[ch.ID] && (ch.Action == platform.Create || ch.Action == platform.Update) {
			from[ch.ID], to[ch.ID] = "", ""
		}
	}
	if len(from) == 0 {
		return
	}
	for _, a := range pl.applied.Files {
		pl.notePath(from, fileID(a.Root, a.Rel), a.Path)
	}
	for _, a := range pl.applied.Dirs {
		pl.notePath(from, dirID(a.Root, a.Rel), a.Path)
	}
	for _, f := range pl.d.files {
		pl.notePath(to, fileID(f.Root, f.Rel), f.Path)
	}
	for p, ds := range pl.dirs {
		pl.notePath(to, dirID(ds.root, ds.rel), p)
	}
	for i := range pl.part.Changes {
		ch := &pl.part.Changes[i]
		if from[ch.ID] == "" || to[ch.ID] == "" || from[ch.ID] == to[ch.ID] {
			continue
		}
		where := "at " + to[ch.ID]
		if ch.Action == platform.Delete || ch.Action == platform.Restore {
			where = "from " + from[ch.ID]
		}
		if ch.Note != "" {
			where += "; " + ch.Note
		}
		ch.Note = where
	}
}

// notePath sets paths[id] to p when id is one of its keys.
func (pl *planner) notePath(paths map[string]string, id, p string) {
	if _, ok := paths[id]; ok {
		paths[id] = p
	}
}
