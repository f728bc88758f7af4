package users

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"

	"github.com/gocfg/gocfg/internal/filestat"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
)

// planUser creates or changes one declared user.
func (pl *planner) planUser(name string) {
	u := pl.want.users[name]
	a := pl.appliedUsers[name]
	rec := &UserRecord{Name: name, Config: u}
	pl.recs.Users = append(pl.recs.Users, rec)
	if field, _ := u.passwordOption(); field != "" && !pl.b.passwords() {
		pl.warn("users.%s.%s: Linux only; on macOS gocfg sets no password (use sysadminctl -resetPasswordFor %s)", name, field, name)
	}
	live, exists := pl.db.User(name)
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
	d := pl.draft(UserID(name), "user")
	if !rec.Created {
		rec.Original = originals(u, a, live)
	}
	if s := pl.changeUser(d, rec, u, a, live); s.UID != nil || s.GECOS != nil || s.Shell != nil || s.Password != nil {
		d.steps = append(d.steps, s)
		// The providers after this one see the account as it will be:
		// the files of her new uid, her store area readable by it.
		pl.planned = append(pl.planned, s.applyTo(live))
	}
	if pl.b.hiding() {
		pl.planHidden(d, name, u, a)
	}
	if a == nil {
		d.adopted = true
		d.notes = append(d.notes, "existing user: adopted, never deleted by gocfg")
	}
}

// changeUser describes the fields of an existing user that change, and
// returns the change.
func (pl *planner) changeUser(d *draft, rec *UserRecord, u User, a *UserRecord, live accounts.Account) userChange {
	s := userChange{Name: rec.Name}
	var was User // what gocfg last set
	if a != nil {
		was = a.Config
	}
	handDrift := func(field string, set bool) {
		if set {
			d.drift = append(d.drift, field+" changed by hand since gocfg set it")
		}
	}
	if u.UID != nil && *u.UID != live.UID {
		s.UID = &IntChange{From: live.UID, To: *u.UID}
		d.before = append(d.before, "uid "+strconv.Itoa(live.UID))
		d.after = append(d.after, "uid "+strconv.Itoa(*u.UID))
		d.notes = append(d.notes, "usermod gives the files in the home folder the new uid")
		handDrift("uid", was.UID != nil && *was.UID == *u.UID)
		rec.UID = *u.UID
	}
	if u.Description != nil && *u.Description != live.GECOS {
		s.GECOS = &StrChange{From: live.GECOS, To: *u.Description}
		d.before = append(d.before, "description "+strconv.Quote(live.GECOS))
		d.after = append(d.after, "description "+strconv.Quote(*u.Description))
		handDrift("description", was.Description != nil && *was.Description == *u.Description)
	}
	if u.Shell != nil && *u.Shell != live.Shell {
		s.Shell = &StrChange{From: live.Shell, To: *u.Shell}
		d.before = append(d.before, "shell "+showEmpty(live.Shell))
		d.after = append(d.after, "shell "+*u.Shell)
		handDrift("shell", was.Shell != nil && *was.Shell == *u.Shell)
	}
	if u.HashedPassword != nil && pl.b.passwords() {
		// Declarative, as NixOS with mutableUsers = false: a password
		// changed with passwd is set back. Neither hash is shown.
		if cur := ShadowPassword(pl.sys, rec.Name); cur != *u.HashedPassword {
			s.Password = &StrChange{From: cur, To: *u.HashedPassword}
			d.before = append(d.before, "password (another)")
			d.after = append(d.after, "password (hashed_password)")
		}
	}
	putBack(d, &s, a, &u, live)
	return s
}

// planHidden hides a declared user (is_hidden), or shows again one gocfg
// hid and no longer should; a user hidden by hand is left alone.
func (pl *planner) planHidden(d *draft, name string, u User, a *UserRecord) {
	live := pl.live.hidden[name]
	hidBefore := a != nil && a.Config.IsHidden
	switch {
	case u.IsHidden && !live:
		if hidBefore {
			d.drift = append(d.drift, "shown by hand since gocfg hid it")
		}
	case !u.IsHidden && live && hidBefore:
	default:
		return
	}
	d.before = append(d.before, showHidden(live))
	d.after = append(d.after, showHidden(u.IsHidden))
	d.steps = append(d.steps, userHide{Name: name, Hidden: u.IsHidden})
}

func showHidden(h bool) string {
	if h {
		return "hidden"
	}
	return "shown"
}

// createUser plans a declared user that does not exist.
func (pl *planner) createUser(rec *UserRecord, u User, a *UserRecord) {
	name := rec.Name
	uid := pl.uids[name]
	home := pl.newHome(name)
	s := &userAdd{Name: name, UID: uid, Group: name, Home: home, GECOS: u.Description, Shell: u.Shell, Hidden: u.IsHidden && pl.b.hiding()}
	rec.UID, rec.Home, rec.Created = uid, home, true
	d := pl.accountChange(UserID(name), "user", platform.Create, "uid "+strconv.Itoa(uid), a != nil && a.Created)
	pl.primaryGroup(d, rec, s)
	d.after = append(d.after, "home "+home)
	if u.CreateHome == nil || *u.CreateHome {
		if fi, err := pl.sys.Lstat(home); err == nil {
			d.notes = append(d.notes, "the home folder exists; kept as it is")
			pl.warnForeignHome(name, uid, home, fi)
		} else {
			s.CreateHome = true
			d.after[len(d.after)-1] += pl.b.createdHome()
		}
	}
	if u.Description != nil {
		d.after = append(d.after, "description "+strconv.Quote(*u.Description))
	}
	if u.Shell != nil {
		d.after = append(d.after, "shell "+*u.Shell)
	}
	if s.Hidden {
		d.after = append(d.after, "hidden")
	}
	if field, hash := u.passwordOption(); hash != nil && pl.b.passwords() {
		s.Password = *hash
		d.after = append(d.after, "password ("+field+")")
	}
	d.steps = append(d.steps, s)
	pl.planned = append(pl.planned, accounts.Account{Name: name, UID: uid, GID: rec.GID, GECOS: deref(u.Description), Home: home, Shell: deref(u.Shell)})
}

// newHome is the home folder of user name, whom this plan creates.
func (pl *planner) newHome(name string) string {
	if u := pl.want.users[name]; u.Home != nil {
		return filepath.Clean(*u.Home)
	}
	return pl.b.defaultHome(name)
}

// warnForeignHome warns when the existing folder home that user name
// (uid) gets belongs to another uid: a home kept when its user was
// deleted, whose uid was given to another account since (useradd keeps
// an existing home as it is, and so does gocfg). Whoever owns the folder
// decides what the user runs at login. A folder of root's is no such
// leftover (root's home is its own), and root decides anyway: a system
// account's home is often one ("/", /run/sshd), and the warning's
// advice, chown -R, would give the user "/" or /etc.
func (pl *planner) warnForeignHome(name string, uid int, home string, fi fs.FileInfo) {
	owner, _ := filestat.Owner(fi)
	if owner <= 0 || owner == uid || fi.Mode()&fs.ModeSymlink != 0 {
		return
	}
	who := "uid " + strconv.Itoa(owner)
	if a, ok := pl.db.UserByUID(owner); ok {
		who = a.Name + " (uid " + strconv.Itoa(owner) + ")"
	}
	pl.warn("users.%s: the home folder %s exists and belongs to %s, not to %s (uid %d): its owner can change what %s runs at login; give it to %s (chown -R) or move it away", name, home, who, name, uid, name, name)
}

// primaryGroup picks a new user's primary group: a group of its own
// (made with it, or the namesake group), or the backend's shared one.
func (pl *planner) primaryGroup(d *draft, rec *UserRecord, s *userAdd) {
	name := rec.Name
	if gid, ok := pl.privGIDs[name]; ok {
		s.PrivateGID = &gid
		rec.GID, rec.PrivateGroup = gid, true
		d.after = append(d.after, fmt.Sprintf("group %s (gid %d, new)", name, gid))
		pl.plannedGroups = append(pl.plannedGroups, accounts.Group{Name: name, GID: gid})
		return
	}
	if g, ok := pl.b.sharedGroup(); ok {
		rec.GID = g.GID
		d.after = append(d.after, fmt.Sprintf("group %s (gid %d)", g.Name, g.GID))
		return
	}
	if gid, ok := pl.db.Group(name); ok && !pl.delGroups[name] {
		rec.GID = gid
	} else {
		rec.GID = pl.gids[name]
	}
	d.after = append(d.after, fmt.Sprintf("group %s (gid %d)", name, rec.GID))
	d.ch.Deps = append(d.ch.Deps, GroupID(name))
}

// planUserRemoval deletes a user gocfg created and no longer declared.
func (pl *planner) planUserRemoval(a *UserRecord) {
	if !a.Created {
		pl.releaseAdopted(a) // adopted: never deleted
		return
	}
	name := a.Name
	live, exists := pl.db.User(name)
	if !exists {
		pl.delUsers[name] = true
		pl.accountChange(UserID(name), "user", platform.Delete, "uid "+strconv.Itoa(a.UID), true)
		return
	}
	if live.UID != a.UID {
		pl.warn("users.%s: no longer declared, but its uid changed by hand (%d → %d) since gocfg created it; left alone and no longer managed", name, a.UID, live.UID)
		pl.forget(UserID(name), "user")
		return
	}
	if why := pl.b.protectedUser(live); why != "" {
		pl.warn("users.%s: no longer declared; %s, which gocfg never deletes; left alone and no longer managed", name, why)
		pl.forget(UserID(name), "user")
		return
	}
	pl.delUsers[name] = true
	s := userDel{Name: name, UID: live.UID, GID: live.GID, GECOS: live.GECOS, Home: live.Home, Shell: live.Shell,
		Groups: pl.db.SupplementaryGroups(name), Hidden: pl.live.hidden[name]}
	if pl.db.HasShadow() {
		s.Password = ShadowPassword(pl.sys, name)
	}
	if g, ok := pl.db.GroupEntry(name); ok && a.PrivateGroup && g.GID == live.GID {
		s.PrivateGroup = name
		pl.delPrivate = append(pl.delPrivate, name)
	}
	d := pl.accountChange(UserID(name), "user", platform.Delete, "uid "+strconv.Itoa(live.UID), false)
	// After the jobs on her units and the end of her lingering, which
	// need her account (letManagerGo).
	d.ch.AfterDependents = true
	d.before = append(d.before, "home "+live.Home)
	// Tester S: gocfg keeps the uid from its own new accounts
	// (kept_homes.go), not from one made by hand.
	// The folder's owner, as it is (tester BE: "owned by uid 1002" of a
	// home ls showed 1001's); a home that is not there keeps nothing.
	// Only a uid no account keeps can go to an account made later
	// (reviewer R31: "owned by uid 0 … may get that uid").
	if fi, err := pl.sys.Lstat(live.Home); err == nil && fi.IsDir() {
		uid, _ := filestat.Owner(fi)
		other, taken := pl.db.UserByUID(uid)
		switch {
		case uid == live.UID || uid > 0 && !taken:
			d.notes = append(d.notes, "the home folder "+live.Home+" is kept, owned by uid "+strconv.Itoa(uid)+
				": an account made later without gocfg (useradd) may get that uid, and with it the home; remove or chown the home if it holds what no one else should have")
		case taken:
			d.notes = append(d.notes, "the home folder "+live.Home+" is kept, owned by "+other.Name)
		default:
			d.notes = append(d.notes, "the home folder "+live.Home+" is kept")
		}
	}

	for _, g := range s.Groups {
		d.ch.Deps = append(d.ch.Deps, GroupID(g))
	}
	// Her primary group too, when the plan deletes it (finish; reviewer
	// R32: a group declared with her name, dropped with her, went first,
	// and groupdel refused the primary group of an account).
	if g, ok := pl.db.GroupByGID(live.GID); ok && g.Name != s.PrivateGroup {
		d.primaryGroup = g.Name
	}
	d.steps = append(d.steps, s)
}
