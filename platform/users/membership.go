package users

import (
	"fmt"
	"sort"
	"strings"

	"github.com/gocfg/gocfg/platform"
)

// planMembers adds the declared memberships that are missing and removes
// the ones gocfg added and no longer declared.
func (pl *planner) planMembers() {
	want := pl.wantedMembers()
	for _, m := range sortedMembers(want) {
		pl.planMember(m)
	}
	for _, m := range sortedMembers(pl.appliedMembers) {
		if !want[m] {
			pl.planMemberRemoval(m)
		}
	}
	pl.describeNewGroups()
}

// wantedMembers is every declared membership: `users.<name>.groups` and
// `groups.<name>.members`, the same relation seen from both sides.
func (pl *planner) wantedMembers() map[Membership]bool {
	want := map[Membership]bool{}
	for name, u := range pl.want.users {
		for _, g := range u.Groups {
			want[Membership{Group: g, User: name}] = true
		}
	}
	for name, g := range pl.want.groups {
		for _, u := range g.Members {
			want[Membership{Group: name, User: u}] = true
		}
	}
	return want
}

// planMember adds a declared membership that is missing: with the new
// user's creation, or as a change of its own.
func (pl *planner) planMember(m Membership) {
	ua, userExists := pl.db.User(m.User)
	g, groupExists := pl.db.GroupEntry(m.Group)
	if groupExists && (g.HasMember(m.User) || userExists && ua.GID == g.GID) {
		if pl.appliedMembers[m] {
			pl.recs.Members = append(pl.recs.Members, m)
		}
		return
	}
	pl.recs.Members = append(pl.recs.Members, m)
	if !userExists {
		// Made with the user (useradd --groups).
		d := pl.draft(UserID(m.User), "user")
		if add := d.userAdd(); add != nil {
			add.Groups = append(add.Groups, m.Group)
		}
		d.ch.Deps = append(d.ch.Deps, GroupID(m.Group))
		return
	}
	d := pl.memberDraft(m)
	d.add = append(d.add, d.list.entry(m))
	if pl.appliedMembers[m] {
		d.drift = append(d.drift, fmt.Sprintf("%s was removed from %s by hand", m.User, m.Group))
	}
	d.steps = append(d.steps, memberAdd(m))
}

// planMemberRemoval removes a membership gocfg added and no longer
// declared, unless the user or the group goes, or it is gone already
// (then it is forgotten).
func (pl *planner) planMemberRemoval(m Membership) {
	if pl.delUsers[m.User] || pl.delGroups[m.Group] {
		return
	}
	g, ok := pl.db.GroupEntry(m.Group)
	if !ok || !g.HasMember(m.User) {
		return
	}
	d := pl.memberDraft(m)
	d.remove = append(d.remove, d.list.entry(m))
	d.steps = append(d.steps, memberRemove(m))
}

// memberDraft is where a membership change goes: the user's change when
// the user is declared, else the group's.
func (pl *planner) memberDraft(m Membership) *draft {
	if _, ok := pl.want.users[m.User]; ok {
		d := pl.draft(UserID(m.User), "user")
		d.ch.Deps = append(d.ch.Deps, GroupID(m.Group))
		if d.list == noList {
			d.list, d.was = groupsList, pl.db.SupplementaryGroups(m.User)
		}
		return d
	}
	d := pl.draft(GroupID(m.Group), "group")
	if d.list == noList {
		g, _ := pl.db.GroupEntry(m.Group)
		d.list, d.was = membersList, append([]string(nil), g.Members...)
	}
	return d
}

// describeNewGroups sorts a new user's groups and shows them after its
// creation line.
func (pl *planner) describeNewGroups() {
	for name := range pl.want.users {
		d, ok := pl.drafts[UserID(name)]
		if !ok || d.ch.Action != platform.Create {
			continue
		}
		if add := d.userAdd(); add != nil && len(add.Groups) > 0 {
			sort.Strings(add.Groups)
			d.after = append(d.after, "groups "+strings.Join(add.Groups, ", "))
		}
	}
}
