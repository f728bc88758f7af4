package users

import (
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/machine"
)

// Config is the part of the merged configuration this provider reads,
// decoded from `gocfg eval --json`-shaped JSON (unset options absent).
type Config struct {
	Users  map[string]User  `json:"users"`
	Groups map[string]Group `json:"groups"`
}

// User is `users.<name>`.
type User struct {
	UID         *int     `json:"uid,omitempty"`
	Description *string  `json:"description,omitempty"`
	Home        *string  `json:"home,omitempty"`
	Shell       *string  `json:"shell,omitempty"`
	Groups      []string `json:"groups,omitempty"`
	// CreateHome is true when unset.
	CreateHome *bool `json:"create_home,omitempty"`
	// IsHidden is macOS only; ignored on Linux.
	IsHidden bool `json:"is_hidden,omitempty"`
	// HashedPassword is the crypt(3) hash of /etc/shadow's password
	// field (Linux only). Only root's files hold it: the generation's
	// config.json and resources.json (0600), the journal (0600); no
	// plan, status or generations diff shows it (passwordLabel).
	HashedPassword *string `json:"hashed_password,omitempty"`
	// InitialHashedPassword is the hash an account gets when gocfg
	// creates it, and never again (NixOS's initialHashedPassword);
	// kept like HashedPassword. Not with HashedPassword.
	InitialHashedPassword *string `json:"initial_hashed_password,omitempty"`
	// HashedPasswordFile names a file that holds the hash (NixOS's
	// hashedPasswordFile); platform/passwordfiles sets it. This
	// provider only checks it against the other password options.
	HashedPasswordFile *string `json:"hashed_password_file,omitempty"`
}

// Group is `groups.<name>`.
type Group struct {
	GID     *int     `json:"gid,omitempty"`
	Members []string `json:"members,omitempty"`
}

// ConfigFromJSON picks this provider's part out of the whole evaluated
// configuration as plain JSON (`gocfg eval --json`): users and groups.
func ConfigFromJSON(js []byte) (*Config, error) {
	var c Config
	if err := platform.DecodeConfig(js, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// root is what the ops pass to the shadow tools' --root ("" live).
func root(l *machine.Machine) string {
	if !l.Offline {
		return ""
	}
	return l.Root
}
