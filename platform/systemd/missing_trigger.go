package systemd

import (
	"context"
	"fmt"
	"strings"

	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/platform/systemd/unit"
)

// missingTriggers refuses, at the plan, a system timer of c whose unit
// (timer_config's Unit, else the service of its name) is neither one c
// declares nor one the system manager knows (under --root: the tree's
// unit files): a timer "backups" for a service "backup" was accepted and
// failed at the switch's start job ("Unit backups.service not found"),
// or, in a tree, at its boot (tester J). A unit the packages of this
// switch may bring (installs) is not asked for: it is not there yet.
// User timers are left to the user's manager, which may have units of
// her own. When the manager cannot be asked, nothing is refused.
func missingTriggers(ctx context.Context, l *machine.Machine, c *Config, installs []string) error {
	if len(c.Timers) == 0 || (len(installs) > 0 && !l.Offline) || (!l.Privileged && !l.Offline) {
		return nil
	}
	var (
		us   system.Units
		errs []error
	)
	defer func() {
		if us != nil {
			_ = us.Close()
		}
	}()
	for _, key := range sortedKeys(c.Timers) {
		name := unit.TimerName(key)
		target := triggered(name, c.Timers[key])
		if declaredUnit(c, target) {
			continue
		}
		if us == nil {
			var err error
			if us, err = l.Sys.Units(ctx, system.UnitScope{UID: -1, GID: -1}); err != nil {
				return nil
			}
		}
		st, err := us.State(ctx, target)
		if err != nil || st.LoadState != "not-found" {
			continue
		}
		where := "on this machine"
		if l.Offline {
			where = "in the tree"
		}
		errs = append(errs, &platform.ConfigError{Option: "systemd.timers." + optpath.Segment(key),
			Msg:  fmt.Sprintf("the timer %s starts %s, which is not declared under systemd.services and not %s", name, target, where),
			Hint: fmt.Sprintf("declare systemd.services.%s, or name the unit it starts with timer_config = { Unit = \"…\" }", optpath.Segment(strings.TrimSuffix(target, ".service")))})
	}
	return platform.JoinErrors(errs)
}

// declaredUnit reports whether c's system units include name.
func declaredUnit(c *Config, name string) bool {
	if base, ok := strings.CutSuffix(name, ".service"); ok {
		if _, ok := c.Services[base]; ok {
			return true
		}
		_, ok := c.Services[name]
		return ok
	}
	if base, ok := strings.CutSuffix(name, ".timer"); ok {
		if _, ok := c.Timers[base]; ok {
			return true
		}
	}
	return false
}
