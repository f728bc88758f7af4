package macfake

// A UserRecord is an account in the fake's local directory
// (/.macfake/users.json), as dscl, sysadminctl and id see it.
type UserRecord struct {
	Name     string   `json:"name"`
	UID      int      `json:"uid"`
	GID      int      `json:"gid"`
	Home     string   `json:"home"`
	Shell    string   `json:"shell,omitempty"`
	RealName string   `json:"real_name,omitempty"`
	Hidden   bool     `json:"hidden,omitempty"`
	Groups   []string `json:"groups,omitempty"`
}

// A GroupRecord is a group in the fake's local directory
// (/.macfake/groups.json).
type GroupRecord struct {
	Name    string   `json:"name"`
	GID     int      `json:"gid"`
	Members []string `json:"members,omitempty"`
}

// builtinUsers are there on every Mac: root, and the first user made at
// set-up is added by tests (AddUser).
var builtinUsers = map[string]UserRecord{
	"root": {Name: "root", UID: 0, GID: 0, Home: "/var/root", Shell: "/bin/sh", RealName: "System Administrator"},
}

// Users returns the fake directory's accounts, root included.
func (f *Fake) Users() (map[string]UserRecord, error) {
	us := map[string]UserRecord{}
	if err := f.Load("users", &us); err != nil {
		return nil, err
	}
	for n, u := range builtinUsers {
		if _, ok := us[n]; !ok {
			us[n] = u
		}
	}
	return us, nil
}

// SaveUsers writes the accounts back.
func (f *Fake) SaveUsers(us map[string]UserRecord) error { return f.Save("users", us) }

// AddUser adds (or replaces) an account and makes its home folder with a
// Library/Preferences inside, as macOS sets up a user.
func (f *Fake) AddUser(u UserRecord) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	us, err := f.Users()
	if err != nil {
		return err
	}
	if u.Home == "" {
		u.Home = "/Users/" + u.Name
	}
	if u.GID == 0 && u.UID != 0 {
		u.GID = 20
	}
	us[u.Name] = u
	if err := f.SaveUsers(us); err != nil {
		return err
	}
	return f.System.MkdirAll(u.Home+"/Library/Preferences", 0o755)
}

// user returns an account by name.
func (f *Fake) user(name string) (UserRecord, bool, error) {
	us, err := f.Users()
	if err != nil {
		return UserRecord{}, false, err
	}
	u, ok := us[name]
	return u, ok, nil
}

// userByUID returns an account by uid.
func (f *Fake) userByUID(uid int) (UserRecord, bool, error) {
	us, err := f.Users()
	if err != nil {
		return UserRecord{}, false, err
	}
	for _, u := range us {
		if u.UID == uid {
			return u, true, nil
		}
	}
	return UserRecord{}, false, nil
}

// Groups returns the fake directory's groups (staff and admin are always
// there).
func (f *Fake) Groups() (map[string]GroupRecord, error) {
	gs := map[string]GroupRecord{
		"wheel": {Name: "wheel", GID: 0},
		"staff": {Name: "staff", GID: 20},
		"admin": {Name: "admin", GID: 80},
	}
	if err := f.Load("groups", &gs); err != nil {
		return nil, err
	}
	return gs, nil
}

// SaveGroups writes the groups back.
func (f *Fake) SaveGroups(gs map[string]GroupRecord) error { return f.Save("groups", gs) }
