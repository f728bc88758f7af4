package systemd

// A Unit is one managed unit: as desired, and as a generation records it.
type Unit struct {
	// Scope is "system" or "user"; User names the user of a user unit.
	Scope string `json:"scope"`
	User  string `json:"user,omitempty"`
	// Name is the unit's name, with its suffix: "nginx.service".
	Name string `json:"name"`
	// Path is the unit file's machine path.
	Path string `json:"path"`
	// Root and Rel locate the file in a generation's files tree.
	Root string `json:"root"`
	Rel  string `json:"rel"`
	// Hash is the sha256 of the unit file.
	Hash string `json:"hash"`
	// Switching flags (DESIGN §3).
	Enable           bool `json:"enable"`
	RestartIfChanged bool `json:"restart_if_changed"`
	ReloadIfChanged  bool `json:"reload_if_changed,omitempty"`
	StopOnRemoval    bool `json:"stop_on_removal"`
	// UID and GID own the file (-1: left alone).
	UID int `json:"uid"`
	GID int `json:"gid"`

	text []byte // the rendered file (desired from configuration only)
	// option declares the unit (systemd.services."web"), for a conflict
	// to point at; "" when planned from records.
	option string
}

// ID is the unit's resource ID: unit:system:nginx.service,
// unit:user:alice:foo.service.
func (u *Unit) ID() string {
	if u.Scope == "user" {
		return "unit:user:" + u.User + ":" + u.Name
	}
	return "unit:system:" + u.Name
}

// idsIn gives the resource IDs of the units of user's manager by their
// names; user "" is the system manager.
func idsIn(user string) func(name string) string {
	if user == "" {
		return func(name string) string { return (&Unit{Scope: "system", Name: name}).ID() }
	}
	return func(name string) string { return (&Unit{Scope: "user", User: user, Name: name}).ID() }
}

// Records are the provider's part of resources.json.
type Records struct {
	Units []*Unit `json:"units"`
}
