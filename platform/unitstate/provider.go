package unitstate

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/packages"
	"github.com/gocfg/gocfg/platform/system"
)

// A Provider plans the state of the units of systemd.units. Desired
// comes from the configuration (Config) or from a generation's records
// (Records: rollback, status).
type Provider struct {
	Machine *machine.Machine
	Config  *Config
	Records *Records

	// installs are the packages this plan installs (platform.Facts): a
	// unit that is not on the machine yet may come with them.
	installs []string
}

var _ platform.FactsReader = (*Provider)(nil)

// PlanWith plans knowing the packages the plan installs: a unit one of
// them ships can be enabled and started in the same switch (the
// packages' change runs first), as NixOS does when a module adds a
// package and its service together.
func (p *Provider) PlanWith(ctx context.Context, appliedData json.RawMessage, facts platform.Facts) (*platform.Part, error) {
	q := *p
	q.installs = facts.Installs
	return q.Plan(ctx, appliedData)
}

// Name keys the records in resources.json.
func (*Provider) Name() string { return "unitstate" }

// kind is the Kind of the changes.
const kind = "unit-state"

// option is the option path of unit name.
func option(name string) string { return "systemd.units." + optpath.Segment(name) }

// desired is one unit as the configuration or a generation wants it.
type desired struct {
	Unit
	original *State // the generation's recorded original, if any
}

// want returns the desired units, refusing names that are not units'
// and units gocfg writes itself.
func (p *Provider) want() (map[string]desired, error) {
	out := map[string]desired{}
	switch {
	case p.Records != nil:
		for name, r := range p.Records.Units {
			o := r.Original
			out[name] = desired{Unit: Unit{Enable: r.Enable, WantedBy: r.WantedBy}, original: &o}
		}
	case p.Config != nil:
		var errs []error
		for _, name := range slices.Sorted(maps.Keys(p.Config.Units)) { // errors in key order
			u := p.Config.Units[name]
			if err := checkName(name); err != nil {
				errs = append(errs, &platform.ConfigError{Option: option(name), Msg: err.Error(), Hint: "keys of systemd.units are full unit names, such as \"ssh.service\" or \"fstrim.timer\""})
				continue
			}
			if own := p.ownUnit(name); own != "" {
				errs = append(errs, &platform.ConfigError{Option: option(name), Msg: "gocfg writes this unit itself (" + own + ")",
					Hint: "set enable under " + own + " instead"})
				continue
			}
			for _, t := range u.WantedBy {
				if err := checkName(t); err != nil {
					errs = append(errs, &platform.ConfigError{Option: option(name) + ".wanted_by", Msg: err.Error(), Hint: "name targets in full, such as \"multi-user.target\""})
				}
			}
			out[name] = desired{Unit: u}
		}
		if len(errs) > 0 {
			return nil, errors.Join(errs...)
		}
	}
	return out, nil
}

// ownUnit names the option of systemd.services or systemd.timers that
// writes unit name, if any.
func (p *Provider) ownUnit(name string) string {
	if base, ok := strings.CutSuffix(name, ".service"); ok {
		if w, ok := p.Config.Services[base]; written(w, ok) {
			return "systemd.services." + optpath.Segment(base)
		}
	}
	if base, ok := strings.CutSuffix(name, ".timer"); ok {
		if w, ok := p.Config.Timers[base]; written(w, ok) {
			return "systemd.timers." + optpath.Segment(base)
		}
	}
	return ""
}

// Plan compares, per unit, the desired state, what the current
// generation recorded and the live unit.
func (p *Provider) Plan(ctx context.Context, appliedData json.RawMessage) (*platform.Part, error) {
	l := p.Machine
	applied, err := DecodeRecords(appliedData)
	if err != nil {
		return nil, err
	}
	want, err := p.want()
	if err != nil {
		return nil, err
	}
	part := &platform.Part{Records: &Records{}}
	if len(want) == 0 && len(applied.Units) == 0 {
		return part, nil
	}
	if !l.Privileged && !l.Offline {
		part.Records = applied
		part.Notes = append(part.Notes, "systemd.units: enabling and starting system units needs root; skipped")
		return part, nil
	}
	u, err := l.Sys.Units(ctx, systemScope)
	if err != nil {
		return nil, &platform.ConfigError{Option: "systemd.units", Msg: fmt.Sprintf("cannot reach the system manager: %v", err),
			Hint: "system units need a running systemd (PID 1); with --root DIR they are enabled offline"}
	}
	defer u.Close()
	recs := &Records{Units: map[string]*Record{}}
	var names []string
	for n := range want {
		names = append(names, n)
	}
	for n := range applied.Units {
		if _, ok := want[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var errs []error
	starts := false
	for _, name := range names {
		a := applied.Units[name]
		d, ok := want[name]
		up := &unitPlan{p: p, u: u, part: part, name: name, a: a}
		if err := up.observe(ctx); err != nil {
			return nil, err
		}
		if !ok {
			up.remove()
			continue
		}
		r, err := up.set(d)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		recs.Units[name] = r
		starts = starts || d.Enable
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(recs.Units) > 0 {
		part.Records = recs
	}
	if l.Offline && starts {
		part.Notes = append(part.Notes, "systemd.units: under --root nothing runs; the units enabled start at the next boot")
	}
	return part, nil
}

// A unitPlan is one unit's change in the making.
type unitPlan struct {
	p    *Provider
	u    system.Units
	part *platform.Part
	name string
	a    *Record // applied (nil: not managed)
	// live is the unit's state, st what the manager says of it.
	live State
	st   system.UnitState
}

func (up *unitPlan) observe(ctx context.Context) error {
	live, st, err := observe(ctx, up.u, up.name)
	if err != nil {
		return fmt.Errorf("unit %s: %w", up.name, err)
	}
	up.live, up.st = live, st
	return nil
}

func (up *unitPlan) offline() bool { return up.p.Machine.Offline }

// activeFor is whether the unit counts as active where want is what is
// wanted of it: it runs, or, when wanted running, its start was skipped
// by conditions that stay unmet while the machine runs, as systemd
// skips it at every boot (ConditionVirtualization=!container in a
// container: the helper who built services.timesyncd saw every switch
// start systemd-timesyncd again, as stopped by hand, and its entry's
// removal leave it enabled, as changed by hand). A unit skipped for a
// condition that may have changed since (ConditionPathExists= of a file
// the switch writes: reviewer) is started again, which looks again.
func (up *unitPlan) activeFor(want bool) bool {
	return up.live.Active || want && up.st.ActiveState == "inactive" && up.st.SkippedForGood
}

// set plans the unit to be as d says, and returns its record.
func (up *unitPlan) set(d desired) (*Record, error) {
	name := up.name
	if err := up.check(d); err != nil {
		return nil, err
	}
	rec := &Record{Enable: d.Enable, WantedBy: d.WantedBy, Original: up.original(d)}
	linkOps, err := up.linkOps(d, rec)
	if err != nil {
		return nil, err
	}
	op := up.stateOp(d)
	after := describe(State{Enabled: d.Enable, Active: d.Enable}, up.offline())
	ch := platform.Change{ID: UnitID(name), Kind: kind, Action: platform.Update, Before: describe(up.live, up.offline()), After: after,
		Deps: []string{packages.InstallID}}
	if len(linkOps) == 0 && op.Enable == nil && op.Active == nil {
		switch {
		case up.a == nil:
			ch.Before, ch.Note = "", "already as desired: adopted; put back as it is when the entry goes"
		case up.a.Enable != d.Enable || !slices.Equal(up.a.WantedBy, d.WantedBy) || !slices.Equal(up.a.Links, rec.Links):
			ch.Before, ch.Note = "", "already so on the machine"
		default:
			return rec, nil
		}
		up.part.Changes = append(up.part.Changes, ch)
		return rec, nil
	}
	up.ops(&ch, linkOps, op)
	switch {
	case up.expected(d):
		op.Installed = true
		ch.Before = "not installed"
		ch.Note = "expected from the packages this switch installs (" + strings.Join(up.p.installs, ", ") + ")"
	case up.a == nil:
		ch.Note = "its state now is recorded and put back when the entry goes"
	case up.a.Enable == d.Enable && slices.Equal(up.a.WantedBy, d.WantedBy):
		ch.Drift = "changed by hand since gocfg set it"
	}
	up.part.Changes = append(up.part.Changes, ch)
	return rec, nil
}

// expected reports whether the unit, not on the machine, is to be
// enabled and may come with the packages this plan installs (online:
// offline, nothing is installed). A unit to link with wanted_by needs
// its file at plan time.
func (up *unitPlan) expected(d desired) bool {
	return up.st.LoadState == "not-found" && d.Enable && d.WantedBy == nil && len(up.p.installs) > 0 && !up.offline()
}

// check refuses what the manager cannot do for d: a unit it does not
// know, enabling a masked one, or one whose [Install] section says
// nothing without wanted_by.
func (up *unitPlan) check(d desired) error {
	name := up.name
	switch up.st.LoadState {
	case "not-found":
		if up.expected(d) {
			return nil
		}
		if up.offline() {
			return &platform.ConfigError{Option: option(name), Msg: "there is no unit " + name + " in the tree: under --root gocfg installs no package (environment.system_packages are installed by a switch on the machine itself)",
				Hint: "install the package that ships it into the tree first (chroot DIR apt-get install PKG, debootstrap --include=PKG), or check the name with: systemctl --root DIR list-unit-files"}
		}
		return &platform.ConfigError{Option: option(name), Msg: "there is no unit " + name + " on this machine",
			Hint: "install the package that ships it first (environment.system_packages), or check the name with: systemctl list-unit-files"}
	case "masked":
		if d.Enable {
			return &platform.ConfigError{Option: option(name), Msg: "unit " + name + " is masked", Hint: "unmask it first: systemctl unmask " + name}
		}
	}
	if d.Enable && d.WantedBy == nil && up.st.UnitFileState != "enabled" && up.st.UnitFileState != "disabled" && !up.expected(d) {
		return &platform.ConfigError{Option: option(name), Msg: fmt.Sprintf("unit %s is %s: its [Install] section does not say how to enable it", name, up.st.UnitFileState),
			Hint: "name the targets that start it with wanted_by, such as [\"multi-user.target\"]"}
	}
	return nil
}

// original is the unit's state before gocfg: recorded when it first took
// the unit over (offline, what a boot makes of it).
func (up *unitPlan) original(d desired) State {
	switch {
	case up.a != nil:
		return up.a.Original
	case d.original != nil:
		return *d.original
	}
	original := up.live
	if up.offline() {
		original.Active = original.Enabled
	}
	return original
}

// linkOps makes the links for wanted_by that are missing and removes the
// ones gocfg made and no longer wants; rec gets the links gocfg keeps.
func (up *unitPlan) linkOps(d desired, rec *Record) ([]platform.Op, error) {
	name, sys := up.name, up.p.Machine.Sys
	var ops []platform.Op
	var want []string
	if d.Enable {
		for _, t := range d.WantedBy {
			want = append(want, linkPath(t, name))
		}
	}
	file := ""
	for _, lp := range want {
		ok, err := linked(sys, lp, name)
		if err != nil {
			return nil, fmt.Errorf("unit %s: %w", name, err)
		}
		switch {
		case ok && up.a != nil && slices.Contains(up.a.Links, lp):
			rec.Links = append(rec.Links, lp)
		case !ok:
			if file == "" {
				if file, err = up.fileToLink(); err != nil {
					return nil, err
				}
			}
			ops = append(ops, &LinkOp{Unit: name, Path: lp, Target: file})
			rec.Links = append(rec.Links, lp)
		}
	}
	if up.a != nil {
		unlink, err := up.unlinkOps(want)
		if err != nil {
			return nil, err
		}
		ops = append(ops, unlink...)
	}
	return ops, nil
}

// fileToLink is the unit's file, which its wanted_by links point at.
func (up *unitPlan) fileToLink() (string, error) {
	f, err := unitFile(up.p.Machine.Sys, up.name)
	if err != nil {
		return "", err
	}
	if f == "" {
		return "", &platform.ConfigError{Option: option(up.name), Msg: "no file of unit " + up.name + " in " + strings.Join(searchPath, ", ") + " to link to",
			Hint: "leave wanted_by unset for a unit that is not a file"}
	}
	return f, nil
}

// stateOp enables or disables the unit (by its [Install] section when
// wanted_by does not say) and starts or stops it, as d differs from what
// it is.
func (up *unitPlan) stateOp(d desired) *SetOp {
	op := &SetOp{Unit: up.name}
	if (d.Enable && d.WantedBy == nil || !d.Enable) && up.live.Enabled != d.Enable {
		op.Enable = &d.Enable
	}
	if !up.offline() && up.activeFor(d.Enable) != d.Enable {
		op.Active = &d.Enable
	}
	return op
}

// ops fills ch's ops: a checkpoint reloading the manager when undone if
// links change, the links ops, then op, which learns the unit's state at
// plan time unless links ops change it before it runs.
func (up *unitPlan) ops(ch *platform.Change, linkOps []platform.Op, op *SetOp) {
	if len(linkOps) > 0 {
		op.Reload = true
		ch.Ops = append(ch.Ops, &SetOp{Unit: up.name, ReloadOnUndo: true})
		ch.Ops = append(ch.Ops, linkOps...)
	} else if op.Enable != nil {
		op.WasEnabled = &up.live.Enabled
	}
	if op.Active != nil {
		op.WasActive = &up.live.Active
		// Started once the new generation is current, so that it reads
		// the new content of linked files under /etc.
		ch.AfterFlip = ch.AfterFlip || *op.Active
	}
	if op.Enable != nil || op.Active != nil || op.Reload {
		ch.Ops = append(ch.Ops, op)
	}
}

// unlinkOps removes the links gocfg made for the unit that are not in
// keep and are still there.
func (up *unitPlan) unlinkOps(keep []string) ([]platform.Op, error) {
	var ops []platform.Op
	for _, lp := range up.a.Links {
		if slices.Contains(keep, lp) {
			continue
		}
		ok, err := linked(up.p.Machine.Sys, lp, up.name)
		if err != nil {
			return nil, fmt.Errorf("unit %s: %w", up.name, err)
		}
		if ok {
			ops = append(ops, &LinkOp{Unit: up.name, Path: lp, Remove: true})
		}
	}
	return ops, nil
}

// remove plans a unit no longer in the configuration: the links gocfg
// made go and the state before gocfg is put back, unless the unit was
// changed by hand since gocfg set it.
func (up *unitPlan) remove() {
	name, a := up.name, up.a
	id := UnitID(name)
	if up.st.LoadState == "not-found" {
		up.part.Warnings = append(up.part.Warnings, fmt.Sprintf("%s: unit %s is no longer on the machine; no longer managed", option(name), name))
		up.part.Changes = append(up.part.Changes, platform.Forget(id, kind))
		return
	}
	orig := a.Original
	if up.offline() {
		orig.Active = false // nothing runs
	}
	// What gocfg left: active as enabled (online), enabled by [Install]
	// (or not at all when disabled).
	asSet := up.offline() || up.activeFor(a.Enable) == a.Enable
	if a.WantedBy == nil || !a.Enable {
		asSet = asSet && up.live.Enabled == a.Enable
	}
	if !asSet {
		up.part.Warnings = append(up.part.Warnings, fmt.Sprintf("%s: no longer set, but changed by hand (now %s) since gocfg set it; left alone and no longer managed",
			option(name), describe(up.live, up.offline())))
		up.part.Changes = append(up.part.Changes, platform.Forget(id, kind))
		return
	}
	unlink, err := up.unlinkOps(nil)
	if err != nil {
		up.part.Warnings = append(up.part.Warnings, err.Error())
	}
	// Before the packages gocfg removes in the same switch (a removal
	// runs before the removals it depends on): the unit of a package
	// gocfg installed is stopped and disabled while it is there, not
	// found gone (or masked by the package's postrm) after.
	ch := platform.Change{ID: id, Kind: kind, Action: platform.Restore, Before: describe(up.live, up.offline()),
		After: describe(a.Original, up.offline()), Note: "the state before gocfg managed it", Deps: []string{packages.RemoveID}}
	op := &SetOp{Unit: name}
	// After the links go, the unit may be enabled by other links still:
	// enable or disable it as it was, whatever it then is.
	if len(unlink) > 0 || up.live.Enabled != orig.Enabled {
		op.Enable = &orig.Enabled
	}
	if !up.offline() && up.activeFor(orig.Active) != orig.Active {
		op.Active = &orig.Active
	}
	up.ops(&ch, unlink, op)
	if len(ch.Ops) == 0 {
		ch.After, ch.Note = "", "already as before gocfg managed it; no longer managed"
	}
	up.part.Changes = append(up.part.Changes, ch)
}

// describe shows a unit's state in a plan.
func describe(s State, offline bool) string {
	e := map[bool]string{true: "enabled", false: "disabled"}[s.Enabled]
	if offline {
		if s.Enabled {
			return e + " (starts at boot)"
		}
		return e
	}
	return e + ", " + map[bool]string{true: "active", false: "inactive"}[s.Active]
}
