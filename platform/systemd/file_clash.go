package systemd

import (
	"fmt"
	"path"
	"strconv"

	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/files"
	"github.com/gocfg/gocfg/platform/systemd/unit"
)

// fileClashes refuses a unit whose file another option makes too:
// environment.etc."systemd/system/<unit>" for a system unit,
// home.<user>.files.".config/systemd/user/<unit>" for a user's. Each
// provider would make the path, and every switch failed when the second
// found the first's file there ("something appeared there"), while two
// files of the files provider at one path are refused by name. Every
// clash is returned.
func fileClashes(c *Config, fc *files.Config) error {
	if fc == nil || c == nil {
		return nil
	}
	var errs []error
	// byRel maps each target, cleaned, to the target as written.
	byRel := func(targets []string) map[string]string {
		m := map[string]string{}
		for _, t := range targets {
			m[path.Clean(t)] = t
		}
		return m
	}
	check := func(prefix, dir string, services map[string]unit.Service, timers map[string]unit.Timer, written map[string]string, fileOption func(string) string) {
		add := func(kind, key, name string) {
			if t, ok := written[path.Join(dir, name)]; ok {
				errs = append(errs, &platform.ConfigError{Option: prefix + "." + kind + "." + optpath.Segment(key),
					Msg:  fmt.Sprintf("its unit file %s is also %s: one file cannot be made by both", name, fileOption(t)),
					Hint: "drop one of them: " + prefix + "." + kind + " writes the unit and enables, starts and restarts it; a file option only writes the file"})
			}
		}
		for _, key := range sortedKeys(services) {
			add("services", key, unit.ServiceName(key))
		}
		for _, key := range sortedKeys(timers) {
			add("timers", key, unit.TimerName(key))
		}
	}
	etc := make([]string, 0, len(fc.Etc))
	for t := range fc.Etc {
		etc = append(etc, t)
	}
	check("systemd", "systemd/system", c.Services, c.Timers, byRel(etc), func(t string) string { return "environment.etc." + strconv.Quote(t) })
	for _, user := range sortedKeys(c.Users) {
		var targets []string
		for t := range fc.Home[user].Files {
			targets = append(targets, t)
		}
		uu := c.Users[user]
		check(optpath.Path{"home", user, "systemd"}.String(), ".config/systemd/user", uu.Services, uu.Timers, byRel(targets),
			func(t string) string { return optpath.Path{"home", user, "files", t}.String() })
	}
	return platform.JoinErrors(errs)
}
