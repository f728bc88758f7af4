package files

import (
	"maps"
	"slices"

	"github.com/gocfg/gocfg/platform"
)

// Config is the part of the merged configuration this provider reads,
// decoded from `gocfg eval --json`-shaped JSON (unset options absent).
type Config struct {
	Home  map[string]HomeConfig `json:"home"`
	Etc   map[string]EtcFile    `json:"etc"`
	Users map[string]UserConfig `json:"users"`
}

// HomeConfig is `home.<user>`.
type HomeConfig struct {
	Files map[string]HomeFile `json:"files"`
}

// HomeFile is `home.<user>.files.<target>`.
type HomeFile struct {
	Source     *string `json:"source"`
	Text       *string `json:"text"`
	Executable *bool   `json:"executable"`
	Mode       *string `json:"mode"`
	Recursive  bool    `json:"recursive"`
	Method     string  `json:"method"`
	Force      bool    `json:"force"`
	OnChange   *string `json:"on_change"`
	// GeneratedBy, set in home_files only, is the option that makes
	// the file (home.alice.programs.git), for errors to name.
	GeneratedBy *string `json:"generated_by"`
	// option is where the file is set, for errors to name and point
	// at: home_files.<user>."<target>" for a file a module generates
	// (configWithHomeFiles), else "" for home.<user>.files."<target>".
	option string
}

// EtcFile is `environment.etc.<path>`.
type EtcFile struct {
	Text   *string `json:"text"`
	Source *string `json:"source"`
	// Mode is the octal mode ("0644" when unset: the option's default);
	// "" is an error, as for home files.
	Mode   *string `json:"mode"`
	User   string  `json:"user"`
	Group  *string `json:"group"`
	Method string  `json:"method"`
	// SymlinkTo makes the path a symlink to a fixed path on the machine
	// (instead of text or source).
	SymlinkTo *string `json:"symlink_to"`
	// Force replaces what is in the way, kept and put back when gocfg
	// lets go of the path.
	Force *bool `json:"force"`
	// OnChange runs as root after a switch that made, changed or removed
	// the file.
	OnChange *string `json:"on_change"`
	// Check validates new content at plan time: a command with %s for the
	// file (/dev/stdin, the content on its standard input).
	Check *string `json:"check"`
}

// UserConfig is the part of `users.<name>` files need.
type UserConfig struct {
	Home *string `json:"home"`
}

// ConfigFromJSON picks this provider's part out of the whole evaluated
// configuration as plain JSON (`gocfg eval --json`): home, users and
// environment.etc.
func ConfigFromJSON(js []byte) (*Config, error) {
	var doc struct {
		Home        map[string]HomeConfig `json:"home"`
		Users       map[string]UserConfig `json:"users"`
		Environment struct {
			Etc map[string]EtcFile `json:"etc"`
		} `json:"environment"`
	}
	if err := platform.DecodeConfig(js, &doc); err != nil {
		return nil, err
	}
	return &Config{Home: doc.Home, Users: doc.Users, Etc: doc.Environment.Etc}, nil
}

// Sources are the source paths the configuration reads (files and
// folders, as written: absolute once evaluated), sorted, each once: what
// a host switching to this configuration elsewhere needs (gocfg deploy).
func (c *Config) Sources() []string {
	seen := map[string]bool{}
	add := func(s *string) {
		if s != nil && *s != "" {
			seen[*s] = true
		}
	}
	for _, h := range c.Home {
		for _, f := range h.Files {
			add(f.Source)
		}
	}
	for _, e := range c.Etc {
		add(e.Source)
	}
	return slices.Sorted(maps.Keys(seen))
}
