package launchd

import (
	"errors"
	"fmt"
	"sort"
	"strconv"

	"github.com/gocfg/gocfg/platform"
)

// Config is what the provider reads of the configuration: every job,
// rendered.
type Config struct {
	// PrimaryUser is `macos.primary_user`, whose agents these are.
	PrimaryUser string
	// Agents and Daemons are sorted by label.
	Agents  []*Job
	Daemons []*Job
}

// NewConfig reads `macos.launchd.agents` and `macos.launchd.daemons` as
// modules/plistval.ToGo gives them (label → object of program_arguments,
// run_at_load, keep_alive, environment, extra) and renders each job's
// plist. A nil map is no jobs.
func NewConfig(primaryUser string, agents, daemons map[string]any) (*Config, error) {
	c := &Config{PrimaryUser: primaryUser}
	var aerr, derr error
	c.Agents, aerr = renderAll(KindAgent, agents)
	c.Daemons, derr = renderAll(KindDaemon, daemons)
	if err := errors.Join(aerr, derr); err != nil {
		return nil, err
	}
	if len(c.Agents) > 0 && (primaryUser == "" || primaryUser == "root") {
		return nil, &platform.ConfigError{Option: "macos.primary_user",
			Msg:  fmt.Sprintf("%s sets LaunchAgents, but there is no primary user (other than root) to install them for", c.Agents[0].Option),
			Hint: `set macos.primary_user = "<your user name>", or make the job a daemon (macos.launchd.daemons)`}
	}
	return c, nil
}

// Empty reports whether no job is configured.
func (c *Config) Empty() bool { return c == nil || len(c.Agents)+len(c.Daemons) == 0 }

func renderAll(kind string, jobs map[string]any) ([]*Job, error) {
	labels := make([]string, 0, len(jobs))
	for l := range jobs {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	out := make([]*Job, 0, len(labels))
	// Every job's first error, in label order: check names them all,
	// not one job's at a time.
	var errs []error
	for _, label := range labels {
		if jobs[label] == nil {
			continue
		}
		option := optionOf(kind, label)
		if why := checkLabel(label); why != "" {
			errs = append(errs, &platform.ConfigError{Option: option, Msg: why,
				Hint: `name a job in reverse-DNS style, such as "org.example.sync"`})
			continue
		}
		j, err := render(label, option, jobs[label])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, j)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// optionOf names a job's option in errors and notes.
func optionOf(kind, label string) string {
	return "macos.launchd." + kind + "s." + strconv.Quote(label)
}
