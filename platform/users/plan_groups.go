package users

import (
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
)

// planGroup creates or changes one declared group.
func (pl *planner) planGroup(name string) {
	g := pl.want.groups[name]
	a := pl.appliedGroups[name]
	rec := &GroupRecord{Name: name, Config: g}
	pl.recs.Groups = append(pl.recs.Groups, rec)
	live, exists := pl.db.GroupEntry(name)
	if !exists {
		pl.createGroup(rec, a)
		return
	}
	id := GroupID(name)
	rec.GID = live.GID
	rec.Created = a != nil && a.Created && a.GID == live.GID
	if a != nil && a.Created && a.GID != live.GID {
		pl.warn("groups.%s: its gid changed by hand (%d → %d) since gocfg created it; gocfg will not delete it", name, a.GID, live.GID)
	}
	if a == nil {
		d := pl.draft(id, "group")
		d.adopted = true
		d.notes = append(d.notes, "existing group: adopted, never deleted by gocfg")
	}
	if g.GID != nil && *g.GID != live.GID {
		d := pl.draft(id, "group")
		d.before = append(d.before, "gid "+strconv.Itoa(live.GID))
		d.after = append(d.after, "gid "+strconv.Itoa(*g.GID))
		if a != nil && a.Config.GID != nil && *a.Config.GID == a.GID && a.GID != live.GID {
			d.drift = append(d.drift, "gid changed by hand since gocfg set it")
		}
		d.notes = append(d.notes, "files owned by the old gid keep it")
		d.steps = append(d.steps, groupChange{Name: name, GID: *g.GID, PrevGID: live.GID})
		rec.GID = *g.GID
	}
}

// createGroup plans a declared group that does not exist.
func (pl *planner) createGroup(rec *GroupRecord, a *GroupRecord) {
	name := rec.Name
	gid := pl.gids[name]
	rec.GID, rec.Created = gid, true
	d := pl.accountChange(GroupID(name), "group", platform.Create, "gid "+strconv.Itoa(gid), a != nil && a.Created)
	d.steps = append(d.steps, groupAdd{Name: name, GID: gid})
	pl.plannedGroups = append(pl.plannedGroups, accounts.Group{Name: name, GID: gid})
}

// planGroupRemoval deletes a group gocfg created and no longer declared.
func (pl *planner) planGroupRemoval(a *GroupRecord) {
	if !a.Created {
		pl.forget(GroupID(a.Name), "group")
		return
	}
	name := a.Name
	live, exists := pl.db.GroupEntry(name)
	if !exists {
		pl.delGroups[name] = true
		pl.accountChange(GroupID(name), "group", platform.Delete, "gid "+strconv.Itoa(a.GID), true)
		return
	}
	if why := pl.keepGroup(a, live); why != "" {
		pl.warn("groups.%s: no longer declared%s; left alone and no longer managed", name, why)
		pl.forget(GroupID(name), "group")
		return
	}
	pl.delGroups[name] = true
	d := pl.accountChange(GroupID(name), "group", platform.Delete, "gid "+strconv.Itoa(live.GID), false)
	if len(live.Members) > 0 {
		d.before = append(d.before, "members "+strings.Join(live.Members, ", "))
	}
	d.steps = append(d.steps, groupDel{Name: name, GID: live.GID, Members: live.Members})
}

// keepGroup says why a group gocfg created and no longer declared is not
// deleted, as the rest of "no longer declared…" ("": it is).
func (pl *planner) keepGroup(a *GroupRecord, live accounts.Group) string {
	if live.GID != a.GID {
		return ", but its gid changed by hand (" + strconv.Itoa(a.GID) + " → " + strconv.Itoa(live.GID) + ") since gocfg created it"
	}
	if why := pl.b.protectedGroup(live); why != "" {
		return "; " + why + ", which gocfg never deletes"
	}
	for _, u := range pl.db.Users() {
		if u.GID == live.GID && !pl.delUsers[u.Name] {
			return ", but it is the primary group of user " + u.Name
		}
	}
	return ""
}
