package users

import (
	"fmt"
	"maps"
	"slices"

	"github.com/gocfg/gocfg/platform"
)

// idPool hands out free user or group IDs in [min, max]. The shadow
// tools' way (useradd's) is the highest ID in use in the range plus one,
// else the lowest free one; macOS's (lowest) is the lowest free one.
type idPool struct {
	min, max int
	used     map[int]bool
	// lowest: always the lowest free ID, and a preferred ID only within
	// the range (macOS).
	lowest bool
	// span describes the range in an error: "between UID_MIN 1000 and
	// UID_MAX 60000".
	span string
}

func newPool(min, max int) *idPool { return &idPool{min: min, max: max, used: map[int]bool{}} }

func (p *idPool) use(id int) { p.used[id] = true }

func (p *idPool) free(id int) bool { return id >= 0 && !p.used[id] }

// pick returns pref when the pool may give it (pref < 0: none), else a
// new ID; ok is false when the range is full.
func (p *idPool) pick(pref int) (int, bool) {
	if p.lowest {
		return p.first(pref)
	}
	return p.take(pref)
}

// take returns pref when it is free (pref < 0: none), else a new ID; ok
// is false when the range is full.
func (p *idPool) take(pref int) (int, bool) {
	if pref >= 0 && p.free(pref) {
		p.use(pref)
		return pref, true
	}
	high := p.min - 1
	for id := range p.used {
		if id >= p.min && id <= p.max && id > high {
			high = id
		}
	}
	if high < p.max {
		p.use(high + 1)
		return high + 1, true
	}
	return p.lowestFree()
}

// first returns pref when it is free and in [min, max] (pref < 0: none),
// else the lowest free ID from min (macOS's way); ok is false when the
// range is full.
func (p *idPool) first(pref int) (int, bool) {
	if pref >= p.min && pref <= p.max && p.free(pref) {
		p.use(pref)
		return pref, true
	}
	return p.lowestFree()
}

func (p *idPool) lowestFree() (int, bool) {
	for id := p.min; id <= p.max; id++ {
		if !p.used[id] {
			p.use(id)
			return id, true
		}
	}
	return 0, false
}

// allocate picks the IDs of the users and groups this plan creates: the
// one the configuration gives, else the one the records name (a
// rollback) when it is free, else a new one from the backend's pools.
func (pl *planner) allocate() error {
	uidPool, gidPool := pl.b.pools()
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
	var creating []string
	for _, name := range sortedKeys(pl.want.users) {
		if _, exists := pl.db.User(name); !exists {
			creating = append(creating, name)
		}
	}
	own := map[string]int{} // a user made again: the uid of her kept home
	if len(creating) > 0 {
		homes := map[string]string{}
		for _, name := range creating {
			homes[pl.newHome(name)] = name
		}
		for folder, o := range pl.keptHomes() {
			if name, ok := homes[folder]; ok {
				own[name] = o.uid
				continue
			}
			uidPool.use(o.uid)
			if o.gid > 0 {
				gidPool.use(o.gid)
			}
		}
	}
	for _, name := range creating {
		if err := pl.allocateUser(name, uidPool, gidPool, own[name]); err != nil {
			return err
		}
	}
	for _, name := range sortedKeys(pl.want.groups) {
		if _, exists := pl.db.Group(name); !exists {
			if err := pl.allocateGroup(name, gidPool); err != nil {
				return err
			}
		}
	}
	return nil
}

// preferred is the ID a rollback returns to (m, from the records it
// returns to), else fallback.
func preferred(m map[string]int, name string, fallback int) int {
	if v, ok := m[name]; ok {
		return v
	}
	return fallback
}

// allocateUser picks a new user's uid, and the gid of its own group when
// it gets one. kept is the uid that owns her home folder, kept from an
// earlier account of her name (0: none), which she gets back unless the
// configuration or a rollback names one.
func (pl *planner) allocateUser(name string, uidPool, gidPool *idPool, kept int) error {
	u := pl.want.users[name]
	a := pl.appliedUsers[name]
	uid := -1
	if u.UID != nil {
		uid = *u.UID
	} else {
		fallback := -1
		if a != nil {
			fallback = a.UID
		} else if kept > 0 {
			fallback = kept
		}
		var ok bool
		if uid, ok = uidPool.pick(preferred(pl.want.uid, name, fallback)); !ok {
			return &platform.ConfigError{Option: userOption(name), Msg: "no free uid " + uidPool.span, Hint: "set " + userOption(name, "uid")}
		}
		if rec, ok := pl.want.uid[name]; ok && uid != rec {
			pl.rerecord("users."+name, "uid", rec, uid)
		}
	}
	pl.uids[name] = uid
	if _, shared := pl.b.sharedGroup(); shared {
		return nil
	}
	_, liveGroup := pl.db.Group(name)
	_, declared := pl.want.groups[name]
	if liveGroup && !pl.delGroups[name] || declared {
		return nil // that group is its primary group
	}
	fallback := uid
	if a != nil && a.PrivateGroup {
		fallback = a.GID
	}
	gid, ok := gidPool.pick(preferred(pl.want.privGID, name, fallback))
	if !ok {
		return &platform.ConfigError{Option: userOption(name), Msg: "no free gid for its group " + gidPool.span, Hint: "declare " + groupOption(name) + " with a gid"}
	}
	if rec, ok := pl.want.privGID[name]; ok && gid != rec {
		pl.rerecord("users."+name+" (its group)", "gid", rec, gid)
	}
	pl.privGIDs[name] = gid
	return nil
}

// allocateGroup picks a new group's gid.
func (pl *planner) allocateGroup(name string, gidPool *idPool) error {
	if g := pl.want.groups[name]; g.GID != nil {
		pl.gids[name] = *g.GID
		return nil
	}
	fallback := -1
	if a := pl.appliedGroups[name]; a != nil {
		fallback = a.GID
	}
	gid, ok := gidPool.pick(preferred(pl.want.gid, name, fallback))
	if !ok {
		return &platform.ConfigError{Option: groupOption(name), Msg: "no free gid " + gidPool.span, Hint: "set " + groupOption(name, "gid")}
	}
	if rec, ok := pl.want.gid[name]; ok && gid != rec {
		pl.rerecord("groups."+name, "gid", rec, gid)
	}
	pl.gids[name] = gid
	return nil
}

// rerecord notes that an account a rollback creates again gets id
// instead of the recorded one (kind: "uid" or "gid"), which is taken:
// the records of this plan then differ from the generation's, and the
// rollback records a new generation with them (platform.Part.Rerecorded).
// Without it, the generation made current would name the old ID, and
// gocfg would take the account for one whose ID was changed by hand: it
// would never delete it.
func (pl *planner) rerecord(option, kind string, recorded, id int) {
	by := ""
	if kind == "uid" {
		if a, ok := pl.db.UserByUID(recorded); ok {
			by = " by user " + a.Name
		}
	} else if g, ok := pl.db.GroupByGID(recorded); ok {
		by = " by group " + g.Name
	}
	why := fmt.Sprintf("%s: the recorded %s %d is taken%s; created again with %s %d", option, kind, recorded, by, kind, id)
	pl.part.Rerecorded = append(pl.part.Rerecorded, why)
	pl.part.Notes = append(pl.part.Notes, why)
}

// sortedKeys returns m's keys, sorted.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// span describes an ID range of login.defs in an error.
func span(kind string, min, max int) string {
	return fmt.Sprintf("between %s_MIN %d and %s_MAX %d", kind, min, kind, max)
}
