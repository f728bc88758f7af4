package users

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/packages"
	"github.com/gocfg/gocfg/platform/system"
)

// planner holds one plan's working state. It takes the same decisions on
// every OS (steps); its backend knows the OS's rules and turns the steps
// into ops.
type planner struct {
	b       backend
	sys     system.System
	db      *accounts.Database
	live    *liveAccounts
	applied *Records
	want    wanted
	part    *platform.Part
	// packagesPending: this switch installs packages, which may bring a
	// shell or a group a user needs (Provider.PackagesPending).
	packagesPending bool

	appliedUsers   map[string]*UserRecord
	appliedGroups  map[string]*GroupRecord
	appliedMembers map[Membership]bool
	// delUsers and delGroups are deleted (or found gone) by this plan.
	delUsers, delGroups map[string]bool
	// freedIDTaken: an account or group of this plan takes the uid or
	// gid of one it deletes (uidOwner, gidOwner), so the deletions run
	// with the other removals, before it is made, not after the changes
	// that depend on them (Change.AfterDependents; reviewer R32: useradd
	// found the uid of a lingering account still taken).
	freedIDTaken bool
	// delPrivate are the private groups deleted with their accounts
	// (UserDelOp.PrivateGroup).
	delPrivate []string
	// kept is keptHomes, read once by keptHomeOf.
	kept map[string]keptOwner
	// IDs of the users and groups this plan creates; privGIDs of the
	// users' own groups.
	uids, gids, privGIDs map[string]int

	drafts map[string]*draft
	recs   Records
	// afterPackages holds the users whose shell or groups the packages of
	// this switch should bring (their changes wait for packages:install).
	afterPackages map[string]bool

	planned       []accounts.Account
	plannedGroups []accounts.Group
}

func newPlanner(b backend, sys system.System, live *liveAccounts, applied *Records, w wanted, part *platform.Part) *planner {
	return &planner{b: b, sys: sys, db: live.db, live: live, applied: applied, want: w, part: part,
		drafts: map[string]*draft{}, delUsers: map[string]bool{}, delGroups: map[string]bool{},
		appliedUsers: map[string]*UserRecord{}, appliedGroups: map[string]*GroupRecord{}, appliedMembers: map[Membership]bool{},
		uids: map[string]int{}, gids: map[string]int{}, privGIDs: map[string]int{}}
}

// A draft is a change being put together: its description parts are
// joined at the end, and its steps become ops.
type draft struct {
	ch                   platform.Change
	steps                []step
	before, after, drift []string
	notes                []string
	// adopted: an account gocfg did not make and now manages (never
	// deleted by gocfg).
	adopted bool
	// Memberships added and removed (group names for a user's groups,
	// user names for a group's members), and the list before.
	list        memberList
	add, remove []string
	was         []string
	// primaryGroup: of an account deleted, her primary group, which
	// is deleted after her when the plan deletes it ("" none, or her
	// own group, which her deletion deletes).
	primaryGroup string
}

// A memberList is the side a draft shows memberships from.
type memberList int

const (
	noList memberList = iota
	// groupsList: a user's groups.
	groupsList
	// membersList: a group's members.
	membersList
)

// entry is m as the list shows it: the group in a user's groups, the
// user in a group's members.
func (l memberList) entry(m Membership) string {
	if l == groupsList {
		return m.Group
	}
	return m.User
}

func (l memberList) String() string {
	if l == groupsList {
		return "groups"
	}
	return "members"
}

func (pl *planner) draft(id, kind string) *draft {
	d, ok := pl.drafts[id]
	if !ok {
		d = &draft{ch: platform.Change{ID: id, Kind: kind, Action: platform.Update}}
		pl.drafts[id] = d
	}
	return d
}

// accountChange drafts the creation or the deletion of an account,
// showing its number (such as "uid 1001") after or before it; byHand
// says that an account gocfg created was removed by hand since: one to
// create again, or one to delete that is gone already (a change with no
// step, which only forgets the record).
func (pl *planner) accountChange(id, kind string, action platform.Action, number string, byHand bool) *draft {
	d := pl.draft(id, kind)
	d.ch.Action = action
	if action == platform.Create {
		d.after = append(d.after, number)
		if byHand {
			d.drift = append(d.drift, "removed by hand since gocfg created it")
		}
		return d
	}
	d.before = append(d.before, number)
	if byHand {
		d.drift = append(d.drift, "already removed by hand")
	}
	return d
}

// userAdd returns the creation step of a user this plan creates (nil:
// none).
func (d *draft) userAdd() *userAdd {
	for _, s := range d.steps {
		if add, ok := s.(*userAdd); ok {
			return add
		}
	}
	return nil
}

func (pl *planner) hasOps() bool {
	for _, c := range pl.part.Changes {
		if len(c.Ops) > 0 {
			return true
		}
	}
	return false
}

// waitForPackages makes a user's change wait for this switch's packages.
func (pl *planner) waitForPackages(name string) {
	if pl.afterPackages == nil {
		pl.afterPackages = map[string]bool{}
	}
	pl.afterPackages[UserID(name)] = true
}

// forget drops a record gocfg no longer manages (see platform.Forget).
func (pl *planner) forget(id, kind string) {
	pl.part.Changes = append(pl.part.Changes, platform.Forget(id, kind))
}

func (pl *planner) warn(format string, args ...any) {
	pl.part.Warnings = append(pl.part.Warnings, fmt.Sprintf(format, args...))
}

func (pl *planner) run(ctx context.Context) error {
	for _, u := range pl.applied.Users {
		pl.appliedUsers[u.Name] = u
	}
	for _, g := range pl.applied.Groups {
		pl.appliedGroups[g.Name] = g
	}
	for _, m := range pl.applied.Members {
		pl.appliedMembers[m] = true
	}
	// Removals first: they free names and IDs the declarations may take.
	for _, name := range sortedKeys(pl.appliedUsers) {
		if _, ok := pl.want.users[name]; !ok {
			pl.planUserRemoval(pl.appliedUsers[name])
		}
	}
	for _, name := range sortedKeys(pl.appliedGroups) {
		if _, ok := pl.want.groups[name]; !ok {
			pl.planGroupRemoval(pl.appliedGroups[name])
		}
	}
	if err := errors.Join(pl.validate(), pl.loggedIn(ctx)); err != nil {
		return err
	}
	if err := pl.allocate(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, name := range sortedKeys(pl.want.groups) {
		pl.planGroup(name)
	}
	for _, name := range sortedKeys(pl.want.users) {
		pl.planUser(name)
	}
	pl.planMembers()
	pl.finish()
	return nil
}

// loggedIn refuses the deletion of an account whose owner is logged in
// (or left a process of a session running): userdel refuses it, and
// tester BH's switch failed at its fourteenth step, all of it undone.
// The plan says so, before anything runs. A process of hers outside any
// session still makes userdel refuse, with its hint (userBusy).
func (pl *planner) loggedIn(ctx context.Context) error {
	var ps problems
	for _, name := range sortedKeys(pl.delUsers) {
		live, ok := pl.db.User(name)
		if !ok {
			continue
		}
		ids := strings.Fields(pl.b.sessions(ctx, live.UID))
		if len(ids) == 0 {
			continue
		}
		sessions := "session " + ids[0]
		if len(ids) > 1 {
			sessions = "sessions " + strings.Join(ids, ", ")
		}
		hint := "log " + name + " out first (loginctl terminate-user " + name + "), or declare users." + name + " again to keep the account"
		if pl.want.fromRecords {
			// Reviewer R34: a generation's configuration cannot be
			// edited (a rollback, the deploy agent's own).
			hint = "log " + name + " out first (loginctl terminate-user " + name + ") and run the command again, or roll back to a generation that keeps the account"
		}
		ps.add(userOption(name), hint,
			"no longer declared, so the plan deletes this account gocfg made, but %s is logged in (%s), and an account in use is not deleted", name, sessions)
	}
	return errors.Join(ps...)
}

// deletedLive names the accounts the plan deletes that exist
// (platform.Facts.Deleted).
func (pl *planner) deletedLive() map[string]bool {
	var m map[string]bool
	for name := range pl.delUsers {
		if _, ok := pl.db.User(name); !ok {
			continue
		}
		if m == nil {
			m = map[string]bool{}
		}
		m[name] = true
	}
	return m
}

// deletedGroupsLive names the groups the plan deletes that exist, with
// the private groups deleted with their accounts
// (platform.Facts.DeletedGroups).
func (pl *planner) deletedGroupsLive() map[string]bool {
	var m map[string]bool
	for _, name := range append(slices.Sorted(maps.Keys(pl.delGroups)), pl.delPrivate...) {
		if _, ok := pl.db.Group(name); !ok {
			continue
		}
		if m == nil {
			m = map[string]bool{}
		}
		m[name] = true
	}
	return m
}

// finish turns the drafts into changes, their steps into the backend's
// ops, and sorts the records.
func (pl *planner) finish() {
	for _, id := range sortedKeys(pl.drafts) {
		d := pl.drafts[id]
		pl.describeList(d)
		if d.ch.Action == platform.Update && len(d.steps) == 0 && len(d.before) == 0 && len(d.after) == 0 {
			// Nothing changes: only an adoption is worth a line.
			if !d.adopted {
				continue
			}
			d.notes = []string{"already as declared: adopted, never deleted by gocfg"}
		}
		d.ch.Before = strings.Join(d.before, ", ")
		d.ch.After = strings.Join(d.after, ", ")
		d.ch.Drift = strings.Join(d.drift, "; ")
		d.ch.Note = strings.Join(d.notes, "; ")
		if pl.afterPackages[d.ch.ID] {
			d.ch.Deps = append(d.ch.Deps, packages.InstallID)
		}
		if d.primaryGroup != "" && pl.delGroups[d.primaryGroup] {
			d.ch.Deps = append(d.ch.Deps, GroupID(d.primaryGroup))
		}
		d.ch.Deps = dedupe(d.ch.Deps, d.ch.ID)
		if pl.freedIDTaken {
			// A lingering account deleted so may find userdel refusing
			// her running manager, with its hint: switch once without
			// her, then with the account that takes her IDs.
			d.ch.AfterDependents = false
		}
		for _, s := range d.steps {
			d.ch.Ops = append(d.ch.Ops, s.op(pl.b))
		}
		pl.part.Changes = append(pl.part.Changes, d.ch)
	}
	pl.recs.sort()
	pl.part.Records = pl.recs.normalize()
}

// describeList adds a draft's membership list before and after.
func (pl *planner) describeList(d *draft) {
	if d.list == noList || len(d.add) == 0 && len(d.remove) == 0 {
		return
	}
	now := map[string]bool{}
	for _, x := range d.was {
		now[x] = true
	}
	for _, x := range d.add {
		now[x] = true
	}
	for _, x := range d.remove {
		delete(now, x)
	}
	for x := range now {
		// Deleted with the group (or the user) in this plan.
		if d.list == groupsList && pl.delGroups[x] || d.list == membersList && pl.delUsers[x] {
			delete(now, x)
		}
	}
	if d.ch.Action != platform.Create {
		d.before = append(d.before, d.list.String()+" "+showList(d.was))
	}
	d.after = append(d.after, d.list.String()+" "+showList(sortedKeys(now)))
}

func dedupe(ids []string, self string) []string {
	seen := map[string]bool{self: true}
	var out []string
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

func showList(xs []string) string {
	if len(xs) == 0 {
		return "(none)"
	}
	return strings.Join(xs, ", ")
}

func showEmpty(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
