package accounts

import (
	"bufio"
	"bytes"
	"errors"
	"io/fs"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/platform/system"
)

// An Account is one passwd entry.
type Account struct {
	Name     string
	UID, GID int
	// GECOS is the comment field (full name, room, phones, ...).
	GECOS string
	Home  string
	Shell string
}

// A Group is one group entry.
type Group struct {
	Name string
	GID  int
	// Members are the supplementary members listed in the entry (users
	// whose primary group it is are not listed there).
	Members []string
}

// HasMember reports whether user is listed as a member of g.
func (g Group) HasMember(user string) bool {
	return slices.Contains(g.Members, user)
}

// A Database is the machine's users and groups, read once.
type Database struct {
	users  map[string]Account
	groups map[string]Group
	// files says which of the database files exist.
	passwd, group, shadow, gshadow bool
}

// Read loads /etc/passwd and /etc/group; missing files give an empty
// database (a fresh `--root`).
func Read(sys system.System) (*Database, error) {
	db := &Database{users: map[string]Account{}, groups: map[string]Group{}}
	var err error
	if db.passwd, err = readLines(sys, "/etc/passwd", func(f []string) {
		if len(f) < 7 {
			return
		}
		uid, err1 := strconv.Atoi(f[2])
		gid, err2 := strconv.Atoi(f[3])
		if err1 != nil || err2 != nil {
			return
		}
		if _, dup := db.users[f[0]]; dup {
			return // the first entry wins, as getpwnam(3) has it
		}
		db.users[f[0]] = Account{Name: f[0], UID: uid, GID: gid, GECOS: f[4], Home: f[5], Shell: f[6]}
	}); err != nil {
		return nil, err
	}
	if db.group, err = readLines(sys, "/etc/group", func(f []string) {
		if len(f) < 3 {
			return
		}
		gid, err := strconv.Atoi(f[2])
		if err != nil {
			return
		}
		if _, dup := db.groups[f[0]]; dup {
			return
		}
		g := Group{Name: f[0], GID: gid}
		if len(f) > 3 && f[3] != "" {
			for _, m := range strings.Split(f[3], ",") {
				if m = strings.TrimSpace(m); m != "" {
					g.Members = append(g.Members, m)
				}
			}
		}
		db.groups[f[0]] = g
	}); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		path string
		ok   *bool
	}{{"/etc/shadow", &db.shadow}, {"/etc/gshadow", &db.gshadow}} {
		_, err := sys.Lstat(f.path)
		switch {
		case err == nil:
			*f.ok = true
		case !errors.Is(err, fs.ErrNotExist):
			return nil, err
		}
	}
	return db, nil
}

// readLines calls each with the colon-separated fields of every line of
// path that is not empty or a comment; it reports whether the file exists.
func readLines(sys system.System, path string, each func([]string)) (bool, error) {
	data, err := sys.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		each(strings.Split(line, ":"))
	}
	return true, sc.Err()
}

// User returns the named account.
func (db *Database) User(name string) (Account, bool) {
	a, ok := db.users[name]
	return a, ok
}

// Group returns the named group's ID.
func (db *Database) Group(name string) (int, bool) {
	g, ok := db.groups[name]
	return g.GID, ok
}

// GroupEntry returns the named group with its members.
func (db *Database) GroupEntry(name string) (Group, bool) {
	g, ok := db.groups[name]
	return g, ok
}

// Users lists the accounts, sorted by name.
func (db *Database) Users() []Account {
	return byName(db.users)
}

// Groups lists the groups, sorted by name.
func (db *Database) Groups() []Group {
	return byName(db.groups)
}

// byName lists the entries of m, which keys them by name, sorted by
// name.
func byName[E any](m map[string]E) []E {
	es := make([]E, 0, len(m))
	for _, name := range slices.Sorted(maps.Keys(m)) {
		es = append(es, m[name])
	}
	return es
}

// UserByUID returns an account with that uid (the first by name when
// several share it).
func (db *Database) UserByUID(uid int) (Account, bool) {
	for _, a := range db.Users() {
		if a.UID == uid {
			return a, true
		}
	}
	return Account{}, false
}

// GroupByGID returns a group with that gid (the first by name when
// several share it).
func (db *Database) GroupByGID(gid int) (Group, bool) {
	for _, g := range db.Groups() {
		if g.GID == gid {
			return g, true
		}
	}
	return Group{}, false
}

// GroupOnlyOf reports whether the group gid lets in user alone: no
// other account has it as primary group, and every group entry with that
// gid lists no member but user. (The store gives a user's area to her
// group where the file system has no ACLs: only such a group keeps her
// files from the others.)
func (db *Database) GroupOnlyOf(gid int, user string) bool {
	for _, a := range db.users {
		if a.GID == gid && a.Name != user {
			return false
		}
	}
	for _, g := range db.groups {
		if g.GID != gid {
			continue
		}
		for _, m := range g.Members {
			if m != user {
				return false
			}
		}
	}
	return true
}

// SupplementaryGroups lists, sorted, the groups that name user as a
// member.
func (db *Database) SupplementaryGroups(user string) []string {
	var gs []string
	for _, g := range db.groups {
		if g.HasMember(user) {
			gs = append(gs, g.Name)
		}
	}
	sort.Strings(gs)
	return gs
}

// HasPasswd reports whether /etc/passwd exists (a fresh `--root` has
// none).
func (db *Database) HasPasswd() bool { return db.passwd }

// HasGroup reports whether /etc/group exists.
func (db *Database) HasGroup() bool { return db.group }

// HasShadow reports whether /etc/shadow exists (shadow passwords are in
// use).
func (db *Database) HasShadow() bool { return db.shadow }

// HasGShadow reports whether /etc/gshadow exists.
func (db *Database) HasGShadow() bool { return db.gshadow }

// With returns a copy of db that also holds accounts and groups a plan
// is about to create (so that, for example, the files of a user created
// in the same switch get the right owner). Entries replace same-named
// ones.
func (db *Database) With(accts []Account, groups []Group) *Database {
	c := &Database{users: make(map[string]Account, len(db.users)+len(accts)), groups: make(map[string]Group, len(db.groups)+len(groups)),
		passwd: db.passwd, group: db.group, shadow: db.shadow, gshadow: db.gshadow}
	maps.Copy(c.users, db.users)
	maps.Copy(c.groups, db.groups)
	for _, a := range accts {
		c.users[a.Name] = a
	}
	for _, g := range groups {
		c.groups[g.Name] = g
	}
	return c
}

// New returns a database holding accts and groups, as read from another
// source than the passwd and group files (macOS's local directory, through
// dscl). As with Read, the first entry of a name wins.
func New(accts []Account, groups []Group) *Database {
	db := &Database{users: make(map[string]Account, len(accts)), groups: make(map[string]Group, len(groups)), passwd: true, group: true}
	for _, a := range accts {
		if _, dup := db.users[a.Name]; !dup {
			db.users[a.Name] = a
		}
	}
	for _, g := range groups {
		if _, dup := db.groups[g.Name]; !dup {
			g.Members = append([]string(nil), g.Members...)
			db.groups[g.Name] = g
		}
	}
	return db
}
