package users

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
)

// A Provider plans users and groups. Desired comes from the
// configuration (Config) or from a generation's records (Records:
// rollback, status).
type Provider struct {
	Layout  *Layout
	Config  *Config
	Records *Records

	planned       []accounts.Account
	plannedGroups []accounts.Group
}

var _ platform.Provider = (*Provider)(nil)

// Name keys the records in resources.json.
func (*Provider) Name() string { return "users" }

// UserID is the resource ID of a user: "user:alice".
func UserID(name string) string { return "user:" + name }

// GroupID is the resource ID of a group: "group:wheel".
func GroupID(name string) string { return "group:" + name }

// DecodeRecords reads the provider's records (nil data: none).
func DecodeRecords(data json.RawMessage) (*Records, error) {
	recs := &Records{}
	if len(data) == 0 || string(data) == "null" {
		return recs, nil
	}
	if err := json.Unmarshal(data, recs); err != nil {
		return nil, fmt.Errorf("users records: %w", err)
	}
	return recs, nil
}

// Planned returns the users and groups the last Plan creates, with the
// IDs and home folders they will have (for accounts.Database.With, so
// that the files of a user created in the same switch get their owner).
func (p *Provider) Planned() ([]accounts.Account, []accounts.Group) {
	return p.planned, p.plannedGroups
}

// A ConfigError names the option a configuration error is about.
type ConfigError = platform.ConfigError

// wanted is the desired state, with the IDs a rollback should reuse.
type wanted struct {
	users  map[string]User
	groups map[string]Group
	// Preferred IDs (from the records a rollback returns to).
	uid, privGID, gid map[string]int
}

func (p *Provider) wanted() wanted {
	w := wanted{users: map[string]User{}, groups: map[string]Group{}, uid: map[string]int{}, privGID: map[string]int{}, gid: map[string]int{}}
	switch {
	case p.Records != nil:
		for _, u := range p.Records.Users {
			w.users[u.Name] = u.Config
			w.uid[u.Name] = u.UID
			if u.PrivateGroup {
				w.privGID[u.Name] = u.GID
			}
		}
		for _, g := range p.Records.Groups {
			w.groups[g.Name] = g.Config
			w.gid[g.Name] = g.GID
		}
	case p.Config != nil:
		for k, v := range p.Config.Users {
			w.users[k] = v
		}
		for k, v := range p.Config.Groups {
			w.groups[k] = v
		}
	}
	return w
}

func (r *Records) empty() bool {
	return r == nil || len(r.Users) == 0 && len(r.Groups) == 0 && len(r.Members) == 0
}

func (r *Records) normalize() *Records {
	if r.Users == nil {
		r.Users = []*UserRecord{}
	}
	if r.Groups == nil {
		r.Groups = []*GroupRecord{}
	}
	if r.Members == nil {
		r.Members = []Membership{}
	}
	return r
}

// Plan compares the declared users and groups, the ones the current
// generation recorded and the passwd and group databases.
func (p *Provider) Plan(ctx context.Context, appliedData json.RawMessage) (*platform.Part, error) {
	l := p.Layout
	p.planned, p.plannedGroups = nil, nil
	applied, err := DecodeRecords(appliedData)
	if err != nil {
		return nil, err
	}
	w := p.wanted()
	part := &platform.Part{Records: applied.normalize()}
	if len(w.users) == 0 && len(w.groups) == 0 && applied.empty() {
		return part, nil
	}
	skip := func(why string) (*platform.Part, error) {
		part.Notes = append(part.Notes, "users, groups: "+why)
		return part, nil
	}
	switch {
	case l.OS == "darwin":
		return p.planDarwin(ctx, part, applied, w)
	case !l.Privileged && l.Rooted:
		return skip("making accounts under --root needs root (the shadow tools chroot into the root); skipped")
	case !l.Privileged:
		return skip("needs root; skipped")
	}
	db, err := accounts.Read(l.Sys)
	if err != nil {
		return nil, err
	}
	if l.Rooted && !db.HasPasswd() {
		return skip("the root has no /etc/passwd (put a base system in it first); skipped")
	}
	shells, err := accounts.ReadShells(l.Sys)
	if err != nil {
		return nil, err
	}
	defs, err := accounts.ReadLoginDefs(l.Sys)
	if err != nil {
		return nil, err
	}
	pl := newPlanner(l, db, shells, defs, applied, w, part)
	if err := pl.run(ctx); err != nil {
		return nil, err
	}
	if l.Rooted && pl.hasOps() {
		if missing := rootSupport(ctx, l.query()); len(missing) > 0 {
			part.Changes, part.Warnings, part.Records = nil, nil, applied.normalize()
			return skip(strings.Join(missing, ", ") + " cannot work on a --root folder (no --root option); skipped")
		}
	}
	p.planned, p.plannedGroups = pl.planned, pl.plannedGroups
	return part, nil
}

func newPlanner(l *Layout, db *accounts.Database, shells accounts.Shells, defs accounts.LoginDefs, applied *Records, w wanted, part *platform.Part) *planner {
	return &planner{l: l, db: db, shells: shells, defs: defs, applied: applied, want: w, part: part,
		drafts: map[string]*draft{}, delUsers: map[string]bool{}, delGroups: map[string]bool{},
		appliedUsers: map[string]*UserRecord{}, appliedGroups: map[string]*GroupRecord{}, appliedMembers: map[Membership]bool{},
		uids: map[string]int{}, gids: map[string]int{}, privGIDs: map[string]int{}}
}

// planner holds one plan's working state.
type planner struct {
	// mac: planning for macOS (darwin.go): the same rules, with macOS's
	// names, IDs and primary group, and finish turns the ops into their
	// dscl/sysadminctl counterparts; hidden holds the users macOS hides.
	mac    bool
	hidden map[string]bool

	l       *Layout
	db      *accounts.Database
	shells  accounts.Shells
	defs    accounts.LoginDefs
	applied *Records
	want    wanted
	part    *platform.Part

	appliedUsers   map[string]*UserRecord
	appliedGroups  map[string]*GroupRecord
	appliedMembers map[Membership]bool
	// delUsers and delGroups are deleted (or found gone) by this plan.
	delUsers, delGroups map[string]bool
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

// A draft is a change being put together: its description parts are
// joined at the end.
type draft struct {
	ch                   platform.Change
	before, after, drift []string
	notes                []string
	// Memberships added and removed (group names for a user, user names
	// for a group), and the list before.
	add, remove []string
	was         []string
	listName    string
}

func (pl *planner) draft(id, kind string) *draft {
	d, ok := pl.drafts[id]
	if !ok {
		d = &draft{ch: platform.Change{ID: id, Kind: kind, Action: platform.Update}}
		pl.drafts[id] = d
	}
	return d
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
	if err := pl.validate(); err != nil {
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

// uidOwner returns a user other than name that has uid and stays.
func (pl *planner) uidOwner(uid int, name string) (string, bool) {
	for _, a := range pl.db.Users() {
		if a.UID == uid && a.Name != name && !pl.delUsers[a.Name] {
			return a.Name, true
		}
	}
	return "", false
}

func (pl *planner) gidOwner(gid int, name string) (string, bool) {
	for _, g := range pl.db.Groups() {
		if g.GID == gid && g.Name != name && !pl.delGroups[g.Name] {
			return g.Name, true
		}
	}
	return "", false
}

// groupKnown reports whether a group exists (and stays) or is declared.
func (pl *planner) groupKnown(name string) (bool, string) {
	if _, ok := pl.want.groups[name]; ok {
		return true, ""
	}
	if _, ok := pl.db.Group(name); ok {
		if pl.delGroups[name] {
			return false, fmt.Sprintf("group %q is no longer declared under groups, so gocfg deletes it", name)
		}
		return true, ""
	}
	return false, fmt.Sprintf("group %q does not exist and is not declared under groups", name)
}

func (pl *planner) userKnown(name string) (bool, string) {
	if _, ok := pl.want.users[name]; ok {
		return true, ""
	}
	if _, ok := pl.db.User(name); ok {
		if pl.delUsers[name] {
			return false, fmt.Sprintf("user %q is no longer declared under users, so gocfg deletes it", name)
		}
		return true, ""
	}
	return false, fmt.Sprintf("user %q does not exist and is not declared under users", name)
}

// validate checks every declaration against the machine; it returns
// every problem found, each naming its option.
func (pl *planner) validate() error {
	var errs []error
	bad := func(option, hint, format string, args ...any) {
		errs = append(errs, &ConfigError{Option: option, Msg: fmt.Sprintf(format, args...), Hint: hint})
	}
	uidOf := map[int]string{}
	for _, name := range sortedKeys(pl.want.users) {
		u := pl.want.users[name]
		opt := "users." + name
		if why := pl.validName(name); why != "" {
			bad(opt, "user names are like alice, build-bot or _svc", "%q: %s", name, why)
			continue
		}
		live, exists := pl.db.User(name)
		if u.UID != nil {
			uid := *u.UID
			switch {
			case uid < 0:
				bad(opt+".uid", "", "%d is not a user ID", uid)
			case exists && live.UID == 0 && uid != 0:
				bad(opt+".uid", "leave users."+name+".uid unset", "%s has uid 0; gocfg does not change it", name)
			default:
				if other, ok := pl.uidOwner(uid, name); ok {
					bad(opt+".uid", "pick a free uid, or leave it unset to let gocfg pick one", "uid %d belongs to user %s", uid, other)
				} else if other, ok := uidOf[uid]; ok {
					bad(opt+".uid", "give each user its own uid", "uid %d is also declared for users.%s", uid, other)
				}
				uidOf[uid] = name
			}
		}
		if u.Home != nil {
			switch {
			case !filepath.IsAbs(*u.Home):
				bad(opt+".home", "write it like "+pl.defaultHome(name), "%q is not an absolute path", *u.Home)
			case exists && filepath.Clean(live.Home) != filepath.Clean(*u.Home):
				bad(opt+".home", pl.moveHomeHint(name, *u.Home),
					"%s's home folder is %s; gocfg does not move the home folder of an existing user", name, live.Home)
			}
		}
		if u.Shell != nil {
			switch {
			case !filepath.IsAbs(*u.Shell):
				bad(opt+".shell", "write the shell's path, like /bin/bash", "%q is not an absolute path", *u.Shell)
			case noLogin(*u.Shell):
				// nologin and false are never in /etc/shells: they are what
				// an account that must not log in gets (useradd takes them).
			case !pl.shells.Present:
				pl.warn("%s.shell: this machine has no /etc/shells, so %s could not be checked", opt, *u.Shell)
			case !pl.shells.Allows(*u.Shell) && pl.l.PackagesPending:
				pl.warn("%s.shell: %s is not in /etc/shells yet; the packages this switch installs should bring it (the user is created after them)", opt, *u.Shell)
				pl.waitForPackages(name)
			case !pl.shells.Allows(*u.Shell):
				hint := "install the shell (its package lists it in /etc/shells)"
				if len(pl.shells.List) > 0 {
					hint += ", or use one of: " + strings.Join(pl.shells.List, ", ")
				}
				bad(opt+".shell", hint, "%s is not listed in /etc/shells", *u.Shell)
			}
		}
		if u.Description != nil && pl.badDescription(*u.Description) != "" {
			bad(opt+".description", "", "%q: %s", *u.Description, pl.badDescription(*u.Description))
		}
		for _, g := range u.Groups {
			if why := pl.validName(g); why != "" {
				bad(opt+".groups", "", "%q: %s", g, why)
			} else if ok, why := pl.groupKnown(g); !ok && pl.l.PackagesPending {
				pl.warn("%s.groups: %s yet; the packages this switch installs should bring it (the user is changed after them)", opt, why)
				pl.waitForPackages(name)
			} else if !ok {
				bad(opt+".groups", fmt.Sprintf("declare it (groups.%s = {}), or take it off users.%s.groups", g, name), "%s", why)
			}
		}
	}
	gidOf := map[int]string{}
	for _, name := range sortedKeys(pl.want.groups) {
		g := pl.want.groups[name]
		opt := "groups." + name
		if why := pl.validName(name); why != "" {
			bad(opt, "group names are like developers or _svc", "%q: %s", name, why)
			continue
		}
		if g.GID != nil {
			gid := *g.GID
			switch {
			case gid < 0:
				bad(opt+".gid", "", "%d is not a group ID", gid)
			default:
				if live, ok := pl.db.Group(name); ok && live == 0 && gid != 0 {
					bad(opt+".gid", "leave groups."+name+".gid unset", "%s has gid 0; gocfg does not change it", name)
				} else if other, ok := pl.gidOwner(gid, name); ok {
					bad(opt+".gid", "pick a free gid, or leave it unset to let gocfg pick one", "gid %d belongs to group %s", gid, other)
				} else if other, ok := gidOf[gid]; ok {
					bad(opt+".gid", "give each group its own gid", "gid %d is also declared for groups.%s", gid, other)
				}
				gidOf[gid] = name
			}
		}
		for _, m := range g.Members {
			if why := pl.validName(m); why != "" {
				bad(opt+".members", "", "%q: %s", m, why)
			} else if ok, why := pl.userKnown(m); !ok {
				bad(opt+".members", fmt.Sprintf("declare it under users.%s, or take it off groups.%s.members", m, name), "%s", why)
			}
		}
	}
	if pl.mac {
		errs = append(errs, pl.validateDarwin()...)
	}
	return errors.Join(errs...)
}

// allocate picks the IDs of the users and groups this plan creates.
func (pl *planner) allocate() error {
	if pl.mac {
		return pl.allocateDarwin()
	}
	uidPool := newPool(pl.defs.UIDMin, pl.defs.UIDMax)
	gidPool := newPool(pl.defs.GIDMin, pl.defs.GIDMax)
	for _, a := range pl.db.Users() {
		uidPool.use(a.UID)
	}
	for _, g := range pl.db.Groups() {
		gidPool.use(g.GID)
	}
	for _, u := range pl.want.users {
		if u.UID != nil {
			uidPool.use(*u.UID)
		}
	}
	for _, g := range pl.want.groups {
		if g.GID != nil {
			gidPool.use(*g.GID)
		}
	}
	pref := func(m map[string]int, name string, fallback int) int {
		if v, ok := m[name]; ok {
			return v
		}
		return fallback
	}
	for _, name := range sortedKeys(pl.want.users) {
		u := pl.want.users[name]
		if _, exists := pl.db.User(name); exists {
			continue
		}
		uid := -1
		if u.UID != nil {
			uid = *u.UID
		} else {
			fallback := -1
			if a := pl.appliedUsers[name]; a != nil {
				fallback = a.UID
			}
			var ok bool
			if uid, ok = uidPool.take(pref(pl.want.uid, name, fallback)); !ok {
				return &ConfigError{Option: "users." + name, Msg: fmt.Sprintf("no free uid between UID_MIN %d and UID_MAX %d", pl.defs.UIDMin, pl.defs.UIDMax), Hint: "set users." + name + ".uid"}
			}
		}
		pl.uids[name] = uid
		_, liveGroup := pl.db.Group(name)
		_, declared := pl.want.groups[name]
		if liveGroup && !pl.delGroups[name] || declared {
			continue // that group is its primary group
		}
		fallback := uid
		if a := pl.appliedUsers[name]; a != nil && a.PrivateGroup {
			fallback = a.GID
		}
		gid, ok := gidPool.take(pref(pl.want.privGID, name, fallback))
		if !ok {
			return &ConfigError{Option: "users." + name, Msg: fmt.Sprintf("no free gid for its group between GID_MIN %d and GID_MAX %d", pl.defs.GIDMin, pl.defs.GIDMax), Hint: "declare groups." + name + " with a gid"}
		}
		pl.privGIDs[name] = gid
	}
	for _, name := range sortedKeys(pl.want.groups) {
		g := pl.want.groups[name]
		if _, exists := pl.db.Group(name); exists {
			continue
		}
		if g.GID != nil {
			pl.gids[name] = *g.GID
			continue
		}
		fallback := -1
		if a := pl.appliedGroups[name]; a != nil {
			fallback = a.GID
		}
		gid, ok := gidPool.take(pref(pl.want.gid, name, fallback))
		if !ok {
			return &ConfigError{Option: "groups." + name, Msg: fmt.Sprintf("no free gid between GID_MIN %d and GID_MAX %d", pl.defs.GIDMin, pl.defs.GIDMax), Hint: "set groups." + name + ".gid"}
		}
		pl.gids[name] = gid
	}
	return nil
}

// planGroup creates or changes one declared group.
func (pl *planner) planGroup(name string) {
	g := pl.want.groups[name]
	a := pl.appliedGroups[name]
	rec := &GroupRecord{Name: name, Config: g}
	pl.recs.Groups = append(pl.recs.Groups, rec)
	live, exists := pl.db.GroupEntry(name)
	id := GroupID(name)
	if !exists {
		gid := pl.gids[name]
		rec.GID, rec.Created = gid, true
		d := pl.draft(id, "group")
		d.ch.Action = platform.Create
		d.after = append(d.after, "gid "+strconv.Itoa(gid))
		if a != nil && a.Created {
			d.drift = append(d.drift, "removed by hand since gocfg created it")
		}
		d.ch.Ops = append(d.ch.Ops, &GroupAddOp{Root: pl.l.root(), Name: name, GID: gid})
		pl.plannedGroups = append(pl.plannedGroups, accounts.Group{Name: name, GID: gid})
		return
	}
	rec.GID = live.GID
	rec.Created = a != nil && a.Created && a.GID == live.GID
	if a != nil && a.Created && a.GID != live.GID {
		pl.warn("groups.%s: its gid changed by hand (%d → %d) since gocfg created it; gocfg will not delete it", name, a.GID, live.GID)
	}
	if a == nil {
		d := pl.draft(id, "group")
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
		d.ch.Ops = append(d.ch.Ops, &GroupModOp{Root: pl.l.root(), Name: name, GID: *g.GID, PrevGID: live.GID})
		rec.GID = *g.GID
	}
}

// planUser creates or changes one declared user.
func (pl *planner) planUser(name string) {
	u := pl.want.users[name]
	a := pl.appliedUsers[name]
	rec := &UserRecord{Name: name, Config: u}
	pl.recs.Users = append(pl.recs.Users, rec)
	live, exists := pl.db.User(name)
	id := UserID(name)
	if !exists {
		pl.createUser(rec, u, a)
		return
	}
	rec.UID, rec.GID, rec.Home = live.UID, live.GID, live.Home
	rec.Created = a != nil && a.Created && a.UID == live.UID
	rec.PrivateGroup = rec.Created && a.PrivateGroup && a.GID == live.GID
	if a != nil && a.Created && a.UID != live.UID {
		pl.warn("users.%s: its uid changed by hand (%d → %d) since gocfg created it; gocfg will not delete it", name, a.UID, live.UID)
	}
	op := &UserModOp{Root: pl.l.root(), Name: name}
	d := pl.draft(id, "user")
	handDrift := func(field string, set bool) {
		if set {
			d.drift = append(d.drift, field+" changed by hand since gocfg set it")
		}
	}
	if u.UID != nil && *u.UID != live.UID {
		op.UID = &IntChange{From: live.UID, To: *u.UID}
		d.before = append(d.before, "uid "+strconv.Itoa(live.UID))
		d.after = append(d.after, "uid "+strconv.Itoa(*u.UID))
		d.notes = append(d.notes, "usermod gives the files in the home folder the new uid")
		handDrift("uid", a != nil && a.Config.UID != nil && *a.Config.UID == *u.UID)
		rec.UID = *u.UID
	}
	if u.Description != nil && *u.Description != live.GECOS {
		op.GECOS = &StrChange{From: live.GECOS, To: *u.Description}
		d.before = append(d.before, "description "+strconv.Quote(live.GECOS))
		d.after = append(d.after, "description "+strconv.Quote(*u.Description))
		handDrift("description", a != nil && a.Config.Description != nil && *a.Config.Description == *u.Description)
	}
	if u.Shell != nil && *u.Shell != live.Shell {
		op.Shell = &StrChange{From: live.Shell, To: *u.Shell}
		d.before = append(d.before, "shell "+showEmpty(live.Shell))
		d.after = append(d.after, "shell "+*u.Shell)
		handDrift("shell", a != nil && a.Config.Shell != nil && *a.Config.Shell == *u.Shell)
	}
	if op.UID != nil || op.GECOS != nil || op.Shell != nil {
		d.ch.Ops = append(d.ch.Ops, op)
	}
	if pl.mac {
		pl.planHidden(d, name, u, a)
	}
	if a == nil {
		d.notes = append(d.notes, "existing user: adopted, never deleted by gocfg")
	}
}

// createUser plans useradd for a declared user that does not exist.
func (pl *planner) createUser(rec *UserRecord, u User, a *UserRecord) {
	name := rec.Name
	uid := pl.uids[name]
	home := pl.defaultHome(name)
	if u.Home != nil {
		home = filepath.Clean(*u.Home)
	}
	op := &UserAddOp{Root: pl.l.root(), Name: name, UID: uid, Group: name, Home: home, GECOS: u.Description, Shell: u.Shell}
	rec.UID, rec.Home, rec.Created = uid, home, true
	d := pl.draft(UserID(name), "user")
	d.ch.Action = platform.Create
	d.after = append(d.after, "uid "+strconv.Itoa(uid))
	if gid, ok := pl.privGIDs[name]; ok {
		op.PrivateGID = &gid
		rec.GID, rec.PrivateGroup = gid, true
		d.after = append(d.after, fmt.Sprintf("group %s (gid %d, new)", name, gid))
		pl.plannedGroups = append(pl.plannedGroups, accounts.Group{Name: name, GID: gid})
	} else if pl.mac {
		rec.GID = staffGID // sysadminctl's primary group for every user
		d.after = append(d.after, fmt.Sprintf("group staff (gid %d)", staffGID))
	} else {
		if gid, ok := pl.db.Group(name); ok && !pl.delGroups[name] {
			rec.GID = gid
		} else {
			rec.GID = pl.gids[name]
		}
		d.after = append(d.after, fmt.Sprintf("group %s (gid %d)", name, rec.GID))
		d.ch.Deps = append(d.ch.Deps, GroupID(name))
	}
	d.after = append(d.after, "home "+home)
	if u.CreateHome == nil || *u.CreateHome {
		if _, err := pl.l.Sys.Lstat(home); err == nil {
			d.notes = append(d.notes, "the home folder exists; kept as it is")
		} else {
			op.CreateHome = true
			d.after[len(d.after)-1] += pl.createdHome()
		}
	}
	if u.Description != nil {
		d.after = append(d.after, "description "+strconv.Quote(*u.Description))
	}
	if u.Shell != nil {
		d.after = append(d.after, "shell "+*u.Shell)
	}
	if pl.mac && u.IsHidden {
		d.after = append(d.after, "hidden")
	}
	if a != nil && a.Created {
		d.drift = append(d.drift, "removed by hand since gocfg created it")
	}
	d.ch.Ops = append(d.ch.Ops, op)
	shell := ""
	if u.Shell != nil {
		shell = *u.Shell
	}
	gecos := ""
	if u.Description != nil {
		gecos = *u.Description
	}
	pl.planned = append(pl.planned, accounts.Account{Name: name, UID: uid, GID: rec.GID, GECOS: gecos, Home: home, Shell: shell})
}

// planUserRemoval deletes a user gocfg created and no longer declared.
func (pl *planner) planUserRemoval(a *UserRecord) {
	if !a.Created {
		pl.forget(UserID(a.Name), "user") // adopted: never deleted
		return
	}
	name := a.Name
	live, exists := pl.db.User(name)
	d := func() *draft {
		d := pl.draft(UserID(name), "user")
		d.ch.Action = platform.Delete
		return d
	}
	switch {
	case !exists:
		pl.delUsers[name] = true
		dr := d()
		dr.before = append(dr.before, "uid "+strconv.Itoa(a.UID))
		dr.drift = append(dr.drift, "already removed by hand")
		return
	case live.UID != a.UID:
		pl.warn("users.%s: no longer declared, but its uid changed by hand (%d → %d) since gocfg created it; left alone and no longer managed", name, a.UID, live.UID)
		pl.forget(UserID(name), "user")
		return
	case pl.protectedUser(live) != "":
		pl.warn("users.%s: no longer declared; %s, which gocfg never deletes; left alone and no longer managed", name, pl.protectedUser(live))
		pl.forget(UserID(name), "user")
		return
	}
	pl.delUsers[name] = true
	op := &UserDelOp{Root: pl.l.root(), Name: name, UID: live.UID, GID: live.GID, GECOS: live.GECOS, Home: live.Home, Shell: live.Shell,
		Groups: pl.db.SupplementaryGroups(name)}
	if g, ok := pl.db.GroupEntry(name); ok && a.PrivateGroup && g.GID == live.GID {
		op.PrivateGroup = name
	}
	dr := d()
	dr.before = append(dr.before, "uid "+strconv.Itoa(live.UID), "home "+live.Home)
	dr.notes = append(dr.notes, "the home folder "+live.Home+" is kept")
	for _, g := range op.Groups {
		dr.ch.Deps = append(dr.ch.Deps, GroupID(g))
	}
	dr.ch.Ops = append(dr.ch.Ops, op)
}

// planGroupRemoval deletes a group gocfg created and no longer declared.
func (pl *planner) planGroupRemoval(a *GroupRecord) {
	if !a.Created {
		pl.forget(GroupID(a.Name), "group")
		return
	}
	name := a.Name
	live, exists := pl.db.GroupEntry(name)
	switch {
	case !exists:
		pl.delGroups[name] = true
		d := pl.draft(GroupID(name), "group")
		d.ch.Action = platform.Delete
		d.before = append(d.before, "gid "+strconv.Itoa(a.GID))
		d.drift = append(d.drift, "already removed by hand")
		return
	case live.GID != a.GID:
		pl.warn("groups.%s: no longer declared, but its gid changed by hand (%d → %d) since gocfg created it; left alone and no longer managed", name, a.GID, live.GID)
		pl.forget(GroupID(name), "group")
		return
	case pl.protectedGroup(live) != "":
		pl.warn("groups.%s: no longer declared; %s, which gocfg never deletes; left alone and no longer managed", name, pl.protectedGroup(live))
		pl.forget(GroupID(name), "group")
		return
	}
	for _, u := range pl.db.Users() {
		if u.GID == live.GID && !pl.delUsers[u.Name] {
			pl.warn("groups.%s: no longer declared, but it is the primary group of user %s; left alone and no longer managed", name, u.Name)
			pl.forget(GroupID(name), "group")
			return
		}
	}
	pl.delGroups[name] = true
	d := pl.draft(GroupID(name), "group")
	d.ch.Action = platform.Delete
	d.before = append(d.before, "gid "+strconv.Itoa(live.GID))
	if len(live.Members) > 0 {
		d.before = append(d.before, "members "+strings.Join(live.Members, ", "))
	}
	d.ch.Ops = append(d.ch.Ops, &GroupDelOp{Root: pl.l.root(), Name: name, GID: live.GID, Members: live.Members})
}

// planMembers adds the declared memberships that are missing and removes
// the ones gocfg added and no longer declared.
func (pl *planner) planMembers() {
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
	// Where a membership change goes: the user's change when the user is
	// declared, else the group's.
	target := func(m Membership) *draft {
		if _, ok := pl.want.users[m.User]; ok {
			d := pl.draft(UserID(m.User), "user")
			d.ch.Deps = append(d.ch.Deps, GroupID(m.Group))
			if d.listName == "" {
				d.listName, d.was = "groups", pl.db.SupplementaryGroups(m.User)
			}
			return d
		}
		d := pl.draft(GroupID(m.Group), "group")
		if d.listName == "" {
			g, _ := pl.db.GroupEntry(m.Group)
			d.listName, d.was = "members", append([]string(nil), g.Members...)
		}
		return d
	}
	for _, m := range sortedMembers(want) {
		ua, userExists := pl.db.User(m.User)
		created := !userExists
		g, groupExists := pl.db.GroupEntry(m.Group)
		if groupExists && (g.HasMember(m.User) || userExists && ua.GID == g.GID) {
			if pl.appliedMembers[m] {
				pl.recs.Members = append(pl.recs.Members, m)
			}
			continue
		}
		pl.recs.Members = append(pl.recs.Members, m)
		if created {
			// useradd --groups
			for _, op := range pl.draft(UserID(m.User), "user").ch.Ops {
				if add, ok := op.(*UserAddOp); ok {
					add.Groups = append(add.Groups, m.Group)
				}
			}
			d := pl.draft(UserID(m.User), "user")
			d.ch.Deps = append(d.ch.Deps, GroupID(m.Group))
			continue
		}
		d := target(m)
		if d.listName == "groups" {
			d.add = append(d.add, m.Group)
		} else {
			d.add = append(d.add, m.User)
		}
		if pl.appliedMembers[m] {
			d.drift = append(d.drift, fmt.Sprintf("%s was removed from %s by hand", m.User, m.Group))
		}
		d.ch.Ops = append(d.ch.Ops, &MemberAddOp{Root: pl.l.root(), Group: m.Group, User: m.User})
	}
	for _, m := range sortedMembers(pl.appliedMembers) {
		if want[m] || pl.delUsers[m.User] || pl.delGroups[m.Group] {
			continue
		}
		g, ok := pl.db.GroupEntry(m.Group)
		if !ok || !g.HasMember(m.User) {
			continue // gone already: forgotten
		}
		d := target(m)
		if d.listName == "groups" {
			d.remove = append(d.remove, m.Group)
		} else {
			d.remove = append(d.remove, m.User)
		}
		d.ch.Ops = append(d.ch.Ops, &MemberRemoveOp{Root: pl.l.root(), Group: m.Group, User: m.User})
	}
	// A new user's groups after its creation line.
	for name := range pl.want.users {
		d, ok := pl.drafts[UserID(name)]
		if !ok || d.ch.Action != platform.Create {
			continue
		}
		for _, op := range d.ch.Ops {
			if add, ok := op.(*UserAddOp); ok && len(add.Groups) > 0 {
				sort.Strings(add.Groups)
				d.after = append(d.after, "groups "+strings.Join(add.Groups, ", "))
			}
		}
	}
}

func sortedMembers(set map[Membership]bool) []Membership {
	ms := make([]Membership, 0, len(set))
	for m := range set {
		ms = append(ms, m)
	}
	sort.Slice(ms, func(i, j int) bool {
		if ms[i].Group != ms[j].Group {
			return ms[i].Group < ms[j].Group
		}
		return ms[i].User < ms[j].User
	})
	return ms
}

// finish turns the drafts into changes and sorts the records.
func (pl *planner) finish() {
	for _, id := range sortedKeys(pl.drafts) {
		d := pl.drafts[id]
		if d.listName != "" && (len(d.add) > 0 || len(d.remove) > 0) {
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
				if d.listName == "groups" && pl.delGroups[x] || d.listName == "members" && pl.delUsers[x] {
					delete(now, x)
				}
			}
			if d.ch.Action != platform.Create {
				d.before = append(d.before, d.listName+" "+showList(d.was))
			}
			d.after = append(d.after, d.listName+" "+showList(sortedKeys(now)))
		}
		if d.ch.Action == platform.Update && len(d.ch.Ops) == 0 && len(d.before) == 0 && len(d.after) == 0 {
			// Nothing changes: only an adoption is worth a line.
			if !adopted(d.notes) {
				continue
			}
			d.notes = []string{"already as declared: adopted, never deleted by gocfg"}
		}
		d.ch.Before = strings.Join(d.before, ", ")
		d.ch.After = strings.Join(d.after, ", ")
		d.ch.Drift = strings.Join(d.drift, "; ")
		d.ch.Note = strings.Join(d.notes, "; ")
		if pl.afterPackages[d.ch.ID] {
			d.ch.Deps = append(d.ch.Deps, "packages:install")
		}
		d.ch.Deps = dedupe(d.ch.Deps, d.ch.ID)
		if pl.mac {
			for i, op := range d.ch.Ops {
				d.ch.Ops[i] = pl.darwinOp(op)
			}
		}
		pl.part.Changes = append(pl.part.Changes, d.ch)
	}
	sort.Slice(pl.recs.Users, func(i, j int) bool { return pl.recs.Users[i].Name < pl.recs.Users[j].Name })
	sort.Slice(pl.recs.Groups, func(i, j int) bool { return pl.recs.Groups[i].Name < pl.recs.Groups[j].Name })
	pl.part.Records = pl.recs.normalize()
}

func adopted(notes []string) bool {
	for _, n := range notes {
		if strings.HasPrefix(n, "existing ") {
			return true
		}
	}
	return false
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

// noLogin reports whether a shell is one that refuses logins
// (/usr/sbin/nologin, /sbin/nologin, /bin/false, /usr/bin/false).
func noLogin(shell string) bool {
	switch filepath.Clean(shell) {
	case "/usr/sbin/nologin", "/sbin/nologin", "/bin/false", "/usr/bin/false":
		return true
	}
	return false
}
