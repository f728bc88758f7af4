package files

import (
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/platform"
)

// configWithHomeFiles is ConfigFromJSON with `home_files.<user>.<target>`
// (the files built-in modules generate from options under home.<user>,
// which cannot define home.<user>.files themselves: a definition of
// `home` read from `home` depends on itself) added to Home as if they
// were home.<user>.files.<target>. A target set in both is an error
// (the modules assert it first), as is an entry without text: a user's
// home_files for a file no module makes. (Not an assert: one more
// condition on every generated file costs the cold evaluation of 1,000
// users with authorized keys 5%.)
func configWithHomeFiles(js []byte) (*Config, error) {
	c, err := ConfigFromJSON(js)
	if err != nil {
		return nil, err
	}
	var doc struct {
		HomeFiles map[string]map[string]HomeFile `json:"home_files"`
	}
	if err := platform.DecodeConfig(js, &doc); err != nil {
		return nil, err
	}
	var errs []error
	for _, user := range sortedKeys(doc.HomeFiles) {
		gen := doc.HomeFiles[user]
		if len(gen) == 0 {
			continue
		}
		if c.Home == nil {
			c.Home = map[string]HomeConfig{}
		}
		h := c.Home[user]
		if h.Files == nil {
			h.Files = map[string]HomeFile{}
		}
		for _, target := range sortedKeys(gen) {
			hf := gen[target]
			hf.option = optpath.Path{"home_files", user, target}.String()
			switch _, dup := h.Files[target]; {
			case hf.Text == nil:
				errs = append(errs, &platform.ConfigError{
					Option: hf.option,
					Msg:    "no module makes this file: home_files sets options (such as force) of the files modules make",
					Hint:   "put a file of your own in home." + user + ".files",
				})
			case dup:
				// Worded as the modules' assert words it.
				by, off := "a module ("+hf.option+")", "the option that makes it"
				if hf.GeneratedBy != nil {
					by, off = *hf.GeneratedBy, *hf.GeneratedBy
				}
				errs = append(errs, &platform.ConfigError{
					Option: optpath.Path{"home", user, "files", target}.String(),
					Msg:    by + " makes this file too",
					Hint:   "remove it from home." + user + ".files or turn off " + off,
				})
			default:
				h.Files[target] = hf
			}
		}
		c.Home[user] = h
	}
	if len(errs) > 0 {
		return nil, platform.JoinErrors(errs)
	}
	return c, nil
}
