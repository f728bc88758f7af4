package passwordfiles

import "github.com/gocfg/gocfg/platform"

// Config is the part of the configuration this provider reads: the
// users with users.<name>.hashed_password_file set.
type Config struct {
	// Files maps a user to the path of the file that holds its hash.
	Files map[string]string
}

// ConfigFromJSON picks users.<name>.hashed_password_file out of the
// evaluated configuration as plain JSON (`gocfg eval --json`).
func ConfigFromJSON(js []byte) (*Config, error) {
	var doc struct {
		Users map[string]struct {
			File *string `json:"hashed_password_file"`
		} `json:"users"`
	}
	if err := platform.DecodeConfig(js, &doc); err != nil {
		return nil, err
	}
	c := &Config{Files: map[string]string{}}
	for name, u := range doc.Users {
		if u.File != nil {
			c.Files[name] = *u.File
		}
	}
	return c, nil
}
