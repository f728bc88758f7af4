package files

import "github.com/gocfg/gocfg/platform"

// validate checks c without the machine (platform.Kind.Validate, for
// gocfg check): the keys of home are user names, each home file's target
// is a path inside its home and its mode one the file can have, and each
// /etc file's key is a path inside /etc with a mode it can have. What
// depends on the machine (the user's account and home, the owner of an
// /etc file, what is in the way, the sources) is the plan's. Every error
// is returned.
func (c *Config) validate(string) error {
	var errs []error
	for _, user := range sortedKeys(c.Home) {
		if err := homeName(user); err != nil {
			errs = append(errs, err)
			continue
		}
		files := c.Home[user].Files
		for _, target := range sortedKeys(files) {
			hf := files[target]
			option := hf.optionAt(user, target)
			_, err := homeRel(option, target, "the home folder")
			if err == nil {
				err = folderTargetError(option, target, hf.Text != nil)
			}
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if _, _, _, err := homeMode(option, hf); err != nil {
				errs = append(errs, err)
			}
		}
	}
	for _, target := range sortedKeys(c.Etc) {
		if _, _, err := etcTarget(etcOption(target), target, c.Etc[target]); err != nil {
			errs = append(errs, err)
		}
	}
	return platform.JoinErrors(errs)
}
