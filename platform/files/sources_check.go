package files

import (
	"fmt"
	"io/fs"

	"github.com/gocfg/gocfg/platform"
)

// CheckSources checks the source of every file of c with stat (os.Stat
// where the configuration is evaluated): gocfg deploy finds a source the
// repository lacks before it sends anything. Each problem is the error
// the plan would give (a ConfigError at the file's option), in the order
// of the users, their targets, then environment.etc.
func (c *Config) CheckSources(stat func(string) (fs.FileInfo, error)) []error {
	var errs []error
	check := func(option string, src *string) {
		if src == nil || *src == "" {
			return
		}
		fi, err := stat(*src)
		if err := sourceError(option, *src, fi, err); err != nil {
			errs = append(errs, err)
		}
	}
	for _, user := range sortedKeys(c.Home) {
		files := c.Home[user].Files
		for _, target := range sortedKeys(files) {
			check(files[target].optionAt(user, target), files[target].Source)
		}
	}
	for _, target := range sortedKeys(c.Etc) {
		check(etcOption(target), c.Etc[target].Source)
	}
	return errs
}

// sourceError is what is wrong with the source src of option, which stat
// found to be fi (or err): missing, or neither a regular file nor a
// folder; nil when it is fine.
func sourceError(option, src string, fi fs.FileInfo, err error) error {
	if err != nil {
		return &platform.ConfigError{Option: option, Msg: fmt.Sprintf("source %s: %v", src, unwrapPath(err)), Hint: "source paths are relative to the module that sets them"}
	}
	if !fi.IsDir() && !fi.Mode().IsRegular() {
		return &platform.ConfigError{Option: option, Msg: fmt.Sprintf("source %s is not a regular file or a folder", src)}
	}
	return nil
}
