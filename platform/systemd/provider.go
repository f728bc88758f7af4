package systemd

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/files"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/managed"
	"github.com/gocfg/gocfg/platform/packages"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/platform/systemd/unit"
	"github.com/gocfg/gocfg/platform/users"
)

// A Provider plans systemd units. Desired comes from the configuration
// (Config) or from a generation's records (Records: rollback, status).
type Provider struct {
	// Machine is the machine planned for; FilesConfig resolves homes
	// (users.<name>.home).
	Machine     *machine.Machine
	FilesConfig *files.Config
	Config      *Config
	Records     *Records
}

var _ platform.FactsReader = (*Provider)(nil)

// Name keys the records in resources.json.
func (*Provider) Name() string { return "systemd" }

// DecodeRecords reads the provider's records (nil data: none).
func DecodeRecords(data json.RawMessage) (*Records, error) {
	return platform.DecodeRecords[Records]("systemd", data)
}

// Plan compares desired, applied and live units, on the machine as it
// is.
func (p *Provider) Plan(ctx context.Context, appliedData json.RawMessage) (*platform.Part, error) {
	return p.PlanWith(ctx, appliedData, platform.Facts{})
}

// PlanWith plans with the accounts the providers before it create: the
// units of a user created in the same switch go in their home, owned by
// them.
func (p *Provider) PlanWith(ctx context.Context, appliedData json.RawMessage, facts platform.Facts) (*platform.Part, error) {
	q := *p
	q.Machine = facts.On(p.Machine)
	p = &q
	applied, err := DecodeRecords(appliedData)
	if err != nil {
		return nil, err
	}
	part := &platform.Part{Areas: map[string]generations.Area{}}
	var want []*Unit
	var off map[string]string
	if p.Records != nil {
		want, err = p.fromRecords(part)
	} else {
		p.Config, off = p.Config.installed(p.Machine.OS)
		want, err = p.fromConfig(part)
		terr := checkTimes(ctx, p.Machine.Sys, p.timeValues())
		cerr := fileClashes(p.Config, p.FilesConfig)
		oerr := offTriggers(p.Config, off)
		merr := missingTriggers(ctx, p.Machine, p.Config, facts.Installs)
		if terr != nil || cerr != nil || oerr != nil || merr != nil {
			err = platform.JoinErrors(slices.DeleteFunc([]error{err, terr, cerr, oerr, merr}, func(e error) bool { return e == nil }))
		}
	}
	if err != nil {
		return nil, err
	}
	pl := &planner{p: p, part: part, applied: applied, released: facts.Released, lingering: facts.Lingering, off: off}
	if err := pl.run(ctx, want); err != nil {
		return nil, err
	}
	return part, nil
}

// fromConfig renders every configured unit this run may manage; the
// errors of every unit are returned together.
func (p *Provider) fromConfig(part *platform.Part) ([]*Unit, error) {
	l := p.Machine
	var units []*Unit
	var errs []error
	if p.Config.Empty() {
		return nil, nil
	}
	if len(p.Config.Services)+len(p.Config.Timers) > 0 {
		if !l.Privileged && !l.Offline {
			part.Notes = append(part.Notes, "systemd.services, systemd.timers: system units need root; skipped")
		} else {
			uid := -1
			if l.Privileged {
				uid = 0
			}
			us, err := render(p.Config.Services, p.Config.Timers, "systemd", func(name string) *Unit {
				return &Unit{Scope: "system", Name: name, Path: "/etc/systemd/system/" + name, Root: "systemd/system", Rel: name, UID: uid, GID: uid}
			})
			if err != nil {
				errs = append(errs, err)
			}
			units = append(units, us...)
			part.Areas["systemd/system"] = generations.Area{Name: "system", UID: uid, GID: uid}
		}
	}
	users := make([]string, 0, len(p.Config.Users))
	for u := range p.Config.Users {
		users = append(users, u)
	}
	sort.Strings(users)
	for _, user := range users {
		if !l.Manages(user) {
			part.Notes = append(part.Notes, fmt.Sprintf("home.%s.systemd: the units of user %s need root; skipped", user, user))
			continue
		}
		uid, gid, err := l.Owner(user)
		if err != nil {
			opt := optpath.Path{"home", user, "systemd"}.String()
			errs = append(errs, &platform.ConfigError{Option: opt, Msg: err.Error(), Hint: l.OwnerHint(user, optpath.Path{"users", user}.String(), opt)})
			continue
		}
		fc := p.FilesConfig
		if fc == nil {
			fc = &files.Config{}
		}
		home := files.HomeOf(l, fc, user)
		root := "systemd/user/" + user
		uu := p.Config.Users[user]
		us, err := render(uu.Services, uu.Timers, "home."+user+".systemd", func(name string) *Unit {
			return &Unit{Scope: "user", User: user, Name: name, Path: home + "/.config/systemd/user/" + name, Root: root, Rel: name, UID: uid, GID: gid}
		})
		if err != nil {
			errs = append(errs, err)
		}
		units = append(units, us...)
		part.Areas[root] = l.HomeArea(user, uid, gid, l.Privileged)
	}
	if len(errs) > 0 {
		return nil, platform.JoinErrors(errs)
	}
	return units, nil
}

// render makes the units of one scope from their options: those it can
// make, and the errors of the others, together.
func render(services map[string]unit.Service, timers map[string]unit.Timer, prefix string, mk func(string) *Unit) ([]*Unit, error) {
	var out []*Unit
	var errs []error
	// Keys "foo" and "foo.service" name the same unit.
	seen := map[string]string{}
	// add makes the unit name that option declares, whose file rendered
	// as text (or failed with err).
	add := func(name, option string, text []byte, err error) (*Unit, error) {
		if other, ok := seen[name]; ok {
			return nil, &platform.ConfigError{Option: option, Msg: fmt.Sprintf("%s is also configured as %s", name, other)}
		}
		seen[name] = option
		if err != nil {
			return nil, &platform.ConfigError{Option: option, Msg: err.Error()}
		}
		if stem := name[:max(strings.LastIndexByte(name, '.'), 0)]; strings.HasSuffix(stem, "@") {
			// Tester AC: the plan failed on the manager's answer for
			// its state ("neither a valid invocation ID nor unit
			// name"), and nothing said what to do.
			return nil, &platform.ConfigError{Option: option, Msg: name + " is a template unit, which gocfg does not manage yet: it reads, starts and enables each unit it manages, and a template is none of these until it is instantiated",
				Hint: "declare each instance as a unit of its own, with its instance written out: " + strings.TrimSuffix(stem, "@") + "@alice instead of %i"}
		}
		u := mk(name)
		u.text, u.Hash, u.option = text, hashOf(text), option
		out = append(out, u)
		return u, nil
	}
	for _, key := range sortedKeys(services) {
		s, name := services[key], unit.ServiceName(key)
		text, err := unit.RenderService(name, s)
		u, err := add(name, prefix+".services."+strconv.Quote(key), text, err)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		u.Enable, u.RestartIfChanged, u.ReloadIfChanged, u.StopOnRemoval = s.Enable, s.RestartIfChanged, s.ReloadIfChanged, s.StopOnRemoval
	}
	for _, key := range sortedKeys(timers) {
		t, name := timers[key], unit.TimerName(key)
		text, err := unit.RenderTimer(name, t)
		u, err := add(name, prefix+".timers."+strconv.Quote(key), text, err)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		u.Enable, u.RestartIfChanged, u.StopOnRemoval = t.Enable, true, true
	}
	if len(errs) > 0 {
		return out, platform.JoinErrors(errs)
	}
	return out, nil
}

// fromRecords makes a generation's units the desired ones, their text
// read from that generation's store. A user unit's file goes to the uid
// and gid its user has now (machine.OwnerNow), not to the recorded ones,
// as the files provider does for dotfiles.
func (p *Provider) fromRecords(part *platform.Part) ([]*Unit, error) {
	l := p.Machine
	var out []*Unit
	for _, r := range p.Records.Units {
		if !p.allowed(r) {
			continue
		}
		u := *r
		if u.Scope == "user" {
			u.UID, u.GID = l.OwnerNow(u.User, u.UID, u.GID)
		}
		text, err := l.Sys.ReadFile(l.Store.FilePath(l.To, u.Root, u.Rel))
		if err != nil {
			return nil, fmt.Errorf("%s: the unit file stored in generation %d: %w", u.ID(), l.To, err)
		}
		u.text = text
		out = append(out, &u)
	}
	return out, nil
}

func (p *Provider) allowed(u *Unit) bool {
	l := p.Machine
	if u.Scope == "system" {
		return l.Privileged || l.Offline
	}
	return l.Manages(u.User)
}

func hashOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// planner holds one plan's working state.
type planner struct {
	p       *Provider
	part    *platform.Part
	applied *Records
	records Records
	// released are the paths earlier providers let go of in this plan
	// (platform.Facts.Released).
	released map[string]string
	// lingering are the users whose lingering this plan enables
	// (platform.Facts.Lingering).
	lingering map[string]bool
	// accountBound are the desired system units whose jobs may wait on
	// a process of an ordinary account (account_bound.go).
	accountBound map[string]accountRole
	// held are the users whose units are left as they are (held.go).
	held map[string]bool
	// gone are the users whose accounts are gone, whose recorded units
	// are forgotten (accountGone).
	gone map[string]bool
	// off are the configured units left out because their enable is
	// false, by ID, with their option paths (Config.installed).
	off map[string]string
}

// scopeWork is what one manager gets in this plan.
type scopeWork struct {
	scope   system.UnitScope
	key     string // "system" or "user:<name>"
	befores []Before
	jobs    map[string][]string // job → units
	reload  bool                // a unit file changed
	ids     []string            // the unit changes of this scope
	user    string
	// settle names the units whose start job succeeds at fork
	// (Type=simple, idle): their state is checked a moment later.
	settle map[string]bool
	// accountBound names the system units whose jobs may wait on a
	// process of an ordinary account (accountBound, account_bound.go);
	// asAccount, those of them with a job in this switch: their jobs
	// are bounded (JobOp.AsAccount).
	accountBound map[string]accountRole
	asAccount    map[string]bool
	// ctx bounds the plan's questions to the manager (a user's:
	// userManagerTimeout).
	ctx context.Context
}

// userManagerTimeout bounds what a plan asks a user's manager: its user
// controls it (and can listen on its socket in its place), and a
// manager that never answers held root's plan, and the state lock, for
// ever.
var userManagerTimeout = 30 * time.Second

// SetManagerTimeout replaces userManagerTimeout, for a test build
// (GOCFG_TEST_PEER_TIMEOUT); it must outlast system.SetPeerTimeout's
// connection, so that a silent socket is said to be one.
func SetManagerTimeout(d time.Duration) { userManagerTimeout = d }

// timedOut says, of err from a scope whose ctx ran out, that the manager
// did not answer in time.
func timedOut(ctx context.Context, err error) error {
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("the manager did not answer within %v: %w", userManagerTimeout, err)
	}
	return err
}

func (pl *planner) run(ctx context.Context, want []*Unit) error {
	l := pl.p.Machine
	if errs := deletedAccountUnits(want, l); len(errs) > 0 {
		return platform.JoinErrors(errs)
	}
	defs, err := accounts.ReadLoginDefs(l.Reader())
	if err != nil {
		defs = accounts.DefaultLoginDefs
	}
	pl.accountBound = accountBound(append(slices.Clone(want), pl.appliedTexts()...), accounts.LoginAccount(l.Accounts, defs))
	ids, byID, appliedByID := platform.ByID(want, pl.applied.Units)
	for _, a := range pl.applied.Units {
		if !pl.p.allowed(a) {
			pl.records.Units = append(pl.records.Units, a)
		}
	}
	ms := &managers{scopes: map[string]*scopeWork{}, conns: map[string]system.Units{}}
	defer ms.close()
	unchanged := pl.unchangedUsers(want, pl.applied.Units)
	for _, id := range ids {
		d, a := byID[id], appliedByID[id]
		u := d
		if u == nil {
			u = a
		}
		if !pl.p.allowed(u) || u.Scope == "user" && pl.held[u.User] {
			continue
		}
		if u.Scope == "user" && unchanged[u.User] {
			pl.records.Units = append(pl.records.Units, a)
			continue
		}
		if u.Scope == "user" && l.Switch.Holds(u.User, pl.p.Records != nil) {
			pl.hold(u.User, "", "", nil)
			continue
		}
		// (A unit still configured for her, d, fails the plan earlier,
		// in fromConfig; d != nil here is a generation's: status.)
		if u.Scope == "user" && (d == nil || l.Switch.ReportOnly) && pl.accountGone(u.User) {
			if d == nil {
				// No ops, but the switch records a generation without it.
				pl.part.Changes = append(pl.part.Changes, platform.Forget(u.ID(), "unit"))
			}
			continue
		}
		sw, c, err := pl.scopeFor(ctx, u, ms)
		if err != nil {
			return err
		}
		if c == nil {
			continue // its user is held
		}
		if err := pl.planUnit(sw.ctx, c, sw, d, a); err != nil {
			if u.Scope == "user" && pl.canHoldUnreachable(u.User) {
				pl.hold(u.User, u.ID(), u.Path, timedOut(sw.ctx, err))
				continue
			}
			return timedOut(sw.ctx, err)
		}
	}
	pl.holdConflicts()
	for _, key := range ms.order {
		if sw := ms.scopes[key]; !pl.held[sw.user] {
			pl.finishScope(sw)
		}
	}
	pl.storeUnitFiles(want, appliedByID)
	sort.Slice(pl.records.Units, func(i, j int) bool { return pl.records.Units[i].ID() < pl.records.Units[j].ID() })
	if pl.records.Units == nil {
		pl.records.Units = []*Unit{}
	}
	pl.part.Records = &pl.records
	return nil
}

// managers are the managers a plan asks, by scope key ("system",
// "user:<name>"), in the order first asked.
type managers struct {
	scopes  map[string]*scopeWork
	order   []string
	conns   map[string]system.Units
	cancels []context.CancelFunc
}

func (ms *managers) close() {
	for _, c := range ms.conns {
		_ = c.Close()
	}
	for _, cancel := range ms.cancels {
		cancel()
	}
}

// scopeFor returns the work of u's manager and a connection to it,
// made when first asked. A user's manager that cannot be reached holds
// her units (the connection is then nil) unless they cannot be held.
func (pl *planner) scopeFor(ctx context.Context, u *Unit, ms *managers) (*scopeWork, system.Units, error) {
	key := u.Scope
	if u.Scope == "user" {
		key = users.UserID(u.User)
	}
	if sw, ok := ms.scopes[key]; ok {
		return sw, ms.conns[key], nil
	}
	scope, err := pl.scopeOf(u)
	if err != nil {
		return nil, nil, err
	}
	sw := &scopeWork{scope: scope, key: key, jobs: map[string][]string{}, user: u.User, ctx: ctx, accountBound: pl.accountBound}
	if scope.User != "" {
		// A user's manager is the user's: one that never answers
		// must not hold root's plan (and the state lock) for ever.
		var cancel context.CancelFunc
		sw.ctx, cancel = context.WithTimeout(ctx, userManagerTimeout)
		ms.cancels = append(ms.cancels, cancel)
	}
	ms.scopes[key] = sw
	ms.order = append(ms.order, key)
	l := pl.p.Machine
	c, err := l.Sys.Units(sw.ctx, scope)
	var pending *lingerPending
	if err != nil && pl.lingering[scope.User] {
		pending = &lingerPending{user: scope.User, err: err, what: "switch"}
		if pl.p.Records != nil && !pl.p.Machine.Switch.ReportOnly {
			// (status plans from records too: reviewer R33.)
			pending.what = "rollback"
		}
		err = pending
	} else {
		err = ManagerDown(l.Sys, scope, err)
	}
	switch {
	case err != nil && (pl.canHoldUnreachable(scope.User) || pending != nil && pl.canHoldPending(scope.User)):
		pl.hold(scope.User, userUnitsID(scope.User), l.UserRuntimeDir(scope.User, scope.UID), unitsError(scope, timedOut(sw.ctx, err)))
		return sw, nil, nil
	case err != nil:
		return nil, nil, unitsError(scope, timedOut(sw.ctx, err))
	}
	ms.conns[key] = c
	return sw, c, nil
}

// storeUnitFiles gives the plan the unit files the new generation
// stores: the desired ones (linked from the current generation when the
// same), and those of the held users' applied units.
func (pl *planner) storeUnitFiles(want []*Unit, appliedByID map[string]*Unit) {
	l := pl.p.Machine
	var entries []generations.Entry
	for _, u := range want {
		if u.text == nil || pl.p.Records != nil || u.Scope == "user" && pl.held[u.User] {
			continue
		}
		text := u.text
		e := generations.Entry{Root: u.Root, Rel: u.Rel, Hash: u.Hash, Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(text)), nil }}
		if a := appliedByID[u.ID()]; a != nil && a.Hash == u.Hash && l.Current > 0 {
			e.Have = l.Store.FilePath(l.Current, a.Root, a.Rel)
		}
		entries = append(entries, e)
	}
	entries = append(entries, pl.heldContents()...)
	if len(entries) > 0 {
		pl.part.Contents = func() []generations.Entry { return entries }
	}
}

// accountGone reports whether user's account is not on the machine (nor
// made by this plan): the units recorded for her that the configuration
// no longer has are then forgotten (platform.Forget), and status does not
// check the generation's, each with a note (once), instead of failing
// every plan for want of her manager (tester BE: a switch that deleted
// her account held her units, as her manager was down, and every later
// switch and status failed with "user does not exist"). Their files, if
// any are left, stay in her kept home as the rest of it.
//
// Not under --root, whose tree's /etc/passwd may have no account for the
// users whose homes it holds (their homes are then /home/<name>).
func (pl *planner) accountGone(user string) bool {
	if _, ok := pl.p.Machine.Accounts.User(user); ok || pl.p.Machine.Offline {
		return false
	}
	if pl.gone == nil {
		pl.gone = map[string]bool{}
	}
	if !pl.gone[user] {
		pl.gone[user] = true
		what := "forgets the units it recorded for her (no manager of hers runs to stop them; any unit file left stays in her home)"
		if pl.p.Machine.Switch.ReportOnly {
			what = "does not check the units recorded for her"
		}
		pl.part.Notes = append(pl.part.Notes, fmt.Sprintf("home.%s.systemd: user %s no longer exists, so gocfg %s", user, user, what))
	}
	return true
}

// scopeOf is the manager a unit belongs to.
func (pl *planner) scopeOf(u *Unit) (system.UnitScope, error) {
	if u.Scope == "system" {
		return system.UnitScope{UID: -1, GID: -1}, nil
	}
	l := pl.p.Machine
	a, ok := l.Accounts.User(u.User)
	if !ok {
		if l.Offline {
			return system.UnitScope{User: u.User, UID: -1, GID: -1}, nil
		}
		return system.UnitScope{}, &platform.ConfigError{Option: "home." + u.User + ".systemd", Msg: "user " + u.User + " does not exist on this machine",
			Hint: "declare it under users." + u.User + " or create it first"}
	}
	return system.UnitScope{User: u.User, UID: a.UID, GID: a.GID, RuntimeDir: l.UserRuntimeDir(u.User, a.UID)}, nil
}

// jobsID is the ID of the change that runs the jobs of the manager
// keyed key ("system", or users.UserID of a user).
func jobsID(key string) string { return "units:" + key + ":jobs" }

// UserJobsID is the ID of the change that runs the jobs (stop, start,
// reload) of user's manager, when a plan has one: what must run before
// her manager is let go (platform/linger).
func UserJobsID(user string) string { return jobsID(users.UserID(user)) }

func unitsError(scope system.UnitScope, err error) error {
	if scope.System() {
		return &platform.ConfigError{Option: "systemd", Msg: fmt.Sprintf("cannot reach the system manager: %v", err),
			Hint: ManagerHint(scope, err)}
	}
	return &platform.ConfigError{Option: "home." + scope.User + ".systemd", Msg: fmt.Sprintf("cannot reach the user manager of %s: %v", scope.User, err),
		Hint: ManagerHint(scope, err)}
}

// lingerPending is the error of a user's manager that is not running
// when the plan enables her lingering (platform.Facts.Lingering): it
// starts during the switch.
type lingerPending struct {
	user string
	err  error
	// what enables it: "switch", or "rollback" (tester BH: a rollback
	// that made a deleted account again with her units failed, saying
	// to run a switch).
	what string
}

func (e *lingerPending) Error() string {
	return e.err.Error() + "; this " + e.what + " enables lingering for " + e.user + " (users." + e.user + ".linger), which starts it"
}

func (e *lingerPending) Unwrap() error { return e.err }

// ManagerHint is what to do when the manager of scope could not be
// reached with err (a plan's error, gocfg doctor's check): run systemd
// for the system's; for a user's, start it at boot, or, when its socket
// took the connection and never answered, find the process of the
// user's that may listen there instead of systemd (tester Y); when she
// already lingers (ManagerDown), start her manager again (tester AC).
func ManagerHint(scope system.UnitScope, err error) string {
	var (
		pending *lingerPending
		down    *lingeringDown
	)
	switch {
	case scope.System():
		return "system units need a running systemd (PID 1); with --root DIR they are written and enabled offline"
	case errors.As(err, &pending):
		return "run the same gocfg " + pending.what + " again once this one has started the manager: it enables lingering for " + scope.User
	case errors.Is(err, system.ErrNoAnswer):
		return fmt.Sprintf("a process of %s's, not systemd, may listen on the socket: see which with ss -xlp, or restart the manager with systemctl restart user@%d.service", scope.User, scope.UID)
	case errors.As(err, &down):
		return lingeringDownHint(scope)
	}
	return "start it at boot with: loginctl enable-linger " + scope.User + " (or log in as " + scope.User + ")"
}

// A unitPlan is one unit's change in the making.
type unitPlan struct {
	sw      *scopeWork
	d, a, u *Unit // desired (nil: dropped), applied (nil: new), either
	// seen is what the plan saw at the unit's path (nil: nothing).
	seen    *files.Seen
	ch      platform.Change
	jobs    []string
	offline bool
	// active and enabled are the unit's state before the switch;
	// disabled: its unit file state is "disabled" (not static, not
	// linked, not enabled at runtime).
	active, enabled, disabled bool
	fileChanged               bool
}

// job adds a job for the unit (under --root only enablement changes).
func (up *unitPlan) job(j string) {
	if up.offline && j != jobEnable && j != jobDisable {
		return
	}
	up.jobs = append(up.jobs, j)
	up.sw.jobs[j] = append(up.sw.jobs[j], up.u.Name)
	if (j == jobStart || j == jobRestart) && up.d != nil && forkDone(up.d) {
		if up.sw.settle == nil {
			up.sw.settle = map[string]bool{}
		}
		up.sw.settle[up.u.Name] = true
	}
	if up.sw.scope.System() && up.sw.accountBound[up.u.Name] != 0 {
		if up.sw.asAccount == nil {
			up.sw.asAccount = map[string]bool{}
		}
		up.sw.asAccount[up.u.Name] = true
	}
}

// unitState is the manager's state of unit u. Under --root the state is
// read from the unit files, and a path handed over to u (handed) holds
// the other provider's file until the switch removes it, gocfg's link to
// the store, which a home's confinement does not follow: there the unit
// is taken as not there yet, as it will be when its change runs.
func (pl *planner) unitState(ctx context.Context, c system.Units, u *Unit, handed bool) (system.UnitState, error) {
	if handed && pl.p.Machine.Offline {
		return system.UnitState{LoadState: "not-found", ActiveState: "inactive", SubState: "dead"}, nil
	}
	return c.State(ctx, u.Name)
}

// inlineJob is job, run in the unit's own change, in plan order,
// rather than in the scope's batch (planDropped).
func (up *unitPlan) inlineJob(j string) {
	if up.offline && j != jobEnable && j != jobDisable {
		return
	}
	up.jobs = append(up.jobs, j)
	up.ch.Ops = append(up.ch.Ops, &JobOp{Scope: up.sw.scope, Job: j, Units: []string{up.u.Name}})
}

// planUnit decides what happens to one unit's file (the decision shared
// with managed files, package managed) and to the unit.
func (pl *planner) planUnit(ctx context.Context, c system.Units, sw *scopeWork, d, a *Unit) error {
	l := pl.p.Machine
	u := d
	if u == nil {
		u = a
	}
	id := u.ID()
	// Looked at before it is read: what a switch replaces must still be
	// what this plan saw (files.Seen). A path another provider removes
	// its file from first (an environment.etc or home file that became
	// this unit) is this unit's to make, after that change.
	releasedBy, released := pl.released[u.Path]
	handed := released && d != nil && a == nil
	live, seen, liveThere, err := files.ReadManaged(l.Sys, u.Path, handed)
	if err != nil {
		return err
	}
	st, err := pl.unitState(ctx, c, u, handed)
	if errors.Is(err, system.ErrNoManager) {
		// A dry run's Units defers the connection's error to the first
		// call (system.DryRun).
		return unitsError(sw.scope, ManagerDown(l.Sys, sw.scope, err))
	}
	if err != nil {
		return fmt.Errorf("%s: read its state: %w", id, err)
	}
	up := &unitPlan{sw: sw, d: d, a: a, u: u, seen: seen, offline: l.Offline, active: isActive(st), enabled: st.UnitFileState == "enabled", disabled: st.UnitFileState == "disabled",
		ch: platform.Change{ID: id, Kind: "unit"}}
	if handed {
		up.ch.Deps = append(up.ch.Deps, releasedBy)
	}
	if u.Scope == "user" {
		up.ch.Deps = append(up.ch.Deps, users.UserID(u.User))
	}
	done := false
	if d != nil {
		done, err = pl.planWanted(up, live, liveThere)
	} else {
		done = pl.planDropped(up, live, liveThere)
	}
	if err != nil || done {
		return err
	}
	ch := up.ch
	if ch.Action == "" && len(up.jobs) == 0 {
		return nil
	}
	if ch.Action == "" {
		ch.Action = platform.Update
	}
	if up.fileChanged {
		sw.reload = true
	}
	ch.After = describe(ch, up.jobs, up.offline)
	sw.befores = append(sw.befores, Before{Name: u.Name, Active: up.active, Enabled: up.enabled, Exists: liveThere, MainPID: st.MainPID, Reload: slices.Contains(up.jobs, jobReload),
		Failed: st.ActiveState == "failed", AsAccount: sw.scope.System() && sw.accountBound[u.Name] != 0,
		AccountFails: sw.scope.System() && sw.accountBound[u.Name]&failsWithAccount != 0})
	sw.ids = append(sw.ids, id)
	pl.part.Changes = append(pl.part.Changes, ch)
	return nil
}

// planWanted plans a desired unit's file, then its jobs; done means the
// unit's change is complete (a conflict, or a change of switching
// options alone).
func (pl *planner) planWanted(up *unitPlan, live []byte, liveThere bool) (done bool, err error) {
	d, a, ch := up.d, up.a, &up.ch
	state := managed.OfContent(liveThere, bytes.Equal(live, d.text), a != nil && hashOf(live) == a.Hash)
	dec := managed.Decide(managed.Input{Wanted: true, Applied: a != nil, Live: state})
	switch dec.Action {
	case managed.Adopt:
		ch.Action, ch.Note = platform.Update, "same unit file: adopted"
	case managed.Create:
		if err := pl.dirOps(ch, d); err != nil {
			return true, err
		}
		ch.Action = platform.Create
		ch.Ops = append(ch.Ops, d.stored().WriteOp(pl.p.Machine.Store, pl.p.Machine.To))
		up.fileChanged = true
		if dec.Why == managed.RemovedByHand {
			ch.Drift = "unit file removed by hand"
		}
	case managed.Update:
		ch.Action = platform.Update
		ch.Ops = append(ch.Ops, d.stored().PutOp(pl.p.Machine.Store, pl.p.Machine.To, up.seen))
		up.fileChanged = true
		// What changes in it, as for a file (a value that looks secret
		// is not shown).
		ch.Diff = files.ContentDiff(live, d.text)
	case managed.Conflict:
		what := "an unmanaged unit file is in the way"
		if dec.Why == managed.ChangedByHand {
			what = "gocfg's unit file was changed by hand"
		}
		pl.part.Conflicts = append(pl.part.Conflicts, platform.Conflict{ID: ch.ID, Path: d.Path, Problem: what, Option: d.option,
			Remedies: []platform.Remedy{platform.Fix("move it away (or drop the unit from the configuration) and run gocfg again")}})
		return true, nil
	}
	rec := *d
	rec.text = nil
	pl.records.Units = append(pl.records.Units, &rec)
	pl.wantedJobs(up, live)
	if a != nil && ch.Action == "" && len(up.jobs) == 0 {
		if flags := flagChanges(a, d); flags != "" {
			// Only gocfg's switching options changed: the new
			// generation must record them (stop_on_removal decides
			// what removing the unit later does).
			ch.Action, ch.Note = platform.Update, flags
			pl.part.Changes = append(pl.part.Changes, *ch)
			return true, nil
		}
	}
	return false, nil
}

// wantedJobs adds the jobs a desired unit needs: enabled or disabled as
// configured, started when some target wants it, reloaded or restarted
// when its file changed while it runs.
func (pl *planner) wantedJobs(up *unitPlan, live []byte) {
	l := pl.p.Machine
	d, a := up.d, up.a
	class, install := unit.Same, false
	if a != nil && up.fileChanged {
		old, err := l.Sys.ReadFile(l.Store.FilePath(l.Current, a.Root, a.Rel))
		if err != nil {
			old = live
		}
		class, install = classify(old, d.text)
	}
	// Only a unit that some target wants is started by a switch: a
	// service a timer or another unit triggers (no [Install]) would
	// otherwise run at every deploy, NixOS does not start those either.
	// One with no [Install] at all has nothing to enable (systemd calls
	// it static).
	wanted, installs := installOf(d.text)
	switch {
	case a == nil || !a.Enable:
		if d.Enable {
			if !up.enabled && installs {
				up.job(jobEnable)
			}
			if !up.active && wanted {
				up.job(jobStart)
			}
		}
		if up.active && class >= unit.Reload {
			up.changed(class)
		}
	case !d.Enable:
		// Only the records of a generation an older gocfg made (a
		// rollback, status), for which enable = false meant installed
		// but not enabled, want such a unit: Config.installed leaves
		// it out of the configuration.
		if up.enabled {
			up.job(jobDisable)
		}
		if up.active {
			up.job(jobStop)
		}
	default:
		switch {
		case install:
			// Its links into targets follow [Install], whatever
			// else changed.
			up.job(jobDisable)
			if installs {
				up.job(jobEnable)
			}
		case wanted && up.disabled:
			// Disabled since gocfg enabled it: by hand, or by a
			// switch killed after its disable job, whose recovery
			// left it so (tester BH: status said "No drift" and no
			// switch enabled it again). Enabled again, as drift.
			up.job(jobEnable)
			up.ch.Drift = "disabled since gocfg enabled it"
		}
		if class >= unit.Reload {
			if !up.active && wanted {
				up.job(jobStart)
			} else if up.active {
				up.changed(class)
			}
		}
	}
}

// changed adds the job for a changed unit that runs: reloaded or
// restarted, enabled or not (a service a timer or another unit started).
// A change of its reload triggers alone reloads it, whatever
// restart_if_changed says (as NixOS does).
func (up *unitPlan) changed(class unit.Change) {
	switch {
	case up.d.ReloadIfChanged || class == unit.Reload:
		up.job(jobReload)
	case up.d.RestartIfChanged:
		up.job(jobRestart)
	}
}

// planDropped plans a unit no longer wanted: stopped (stop_on_removal)
// and disabled, its file removed while it is still gocfg's; done means
// nothing more happens to it.
func (pl *planner) planDropped(up *unitPlan, live []byte, liveThere bool) (done bool) {
	l := pl.p.Machine
	a, ch := up.a, &up.ch
	state := managed.OfContent(liveThere, false, hashOf(live) == a.Hash)
	job := up.job
	if _, handed := pl.released[a.Path]; handed && state == managed.Ours {
		// Handed over to an earlier provider, which makes its file
		// there after this change (platform/handover.go): the unit is
		// stopped and disabled here, before, not in the scope's batch
		// after the flip, where disabling would remove that file too
		// when it is a link (a linked unit file, to systemd).
		job = up.inlineJob
	}
	if a.StopOnRemoval && up.active {
		job(jobStop)
	}
	if up.enabled && (a.StopOnRemoval || state == managed.Ours) {
		// Its file goes: the links enabling it would point nowhere.
		job(jobDisable)
	}
	if _, ok := pl.off[ch.ID]; ok {
		// Still configured: the line says why it goes.
		ch.Note = "enable = false"
	}
	switch managed.Decide(managed.Input{Applied: true, Live: state}).Action {
	case managed.Remove:
		ch.Action = platform.Delete
		ch.Before = "unit file"
		s := a.stored()
		if a.Scope == "user" {
			// An undo writes it back for the user's uid now, not the
			// recorded one (see fromRecords).
			s.UID, s.GID = l.OwnerNow(a.User, s.UID, s.GID)
		}
		ch.Ops = append(ch.Ops, s.RemoveOp(l.Store, l.Current, l.To))
		up.fileChanged = true
		// An environment.etc or home file there is made after
		// (platform/handover.go).
		pl.part.Release(a.Path, ch.ID)
	case managed.Gone:
		ch.Action, ch.Drift = platform.Delete, "unit file already removed by hand"
	default:
		pl.part.Warnings = append(pl.part.Warnings, fmt.Sprintf("%s: changed by hand since gocfg wrote it; left alone and no longer managed", a.Path))
		if len(up.jobs) == 0 {
			// Nothing to run, but the next generation records that
			// gocfg let go of it, as it does for a file.
			pl.part.Changes = append(pl.part.Changes, platform.Forget(ch.ID, "unit"))
			return true
		}
		ch.Action = platform.Delete
	}
	return false
}

// forkDone reports whether a unit's start job is done as soon as its
// process is forked (a service of Type=simple or idle, the default), so
// that an ExecStart that cannot run only shows in its state a moment
// later.
func forkDone(u *Unit) bool {
	if !strings.HasSuffix(u.Name, ".service") {
		return false
	}
	f, err := unit.Parse(u.text)
	if err != nil {
		return true
	}
	types := f["Service"]["Type"]
	if len(types) == 0 {
		return true
	}
	t := types[len(types)-1]
	return t == "simple" || t == "idle"
}

// installOf reports whether a unit's [Install] section names a target
// (WantedBy=, RequiredBy=, UpheldBy=), and whether it has anything
// enabling follows (Alias= and Also= too).
func installOf(text []byte) (wanted, installs bool) {
	f, err := unit.Parse(text)
	if err != nil {
		return false, false
	}
	inst := f["Install"]
	return len(inst["WantedBy"])+len(inst["RequiredBy"])+len(inst["UpheldBy"]) > 0, len(inst) > 0
}

// classify compares two unit files as parsed sections, and says whether
// their [Install] sections differ (true when a file cannot be read).
func classify(old, new []byte) (c unit.Change, install bool) {
	a, err1 := unit.Parse(old)
	b, err2 := unit.Parse(new)
	if err1 != nil || err2 != nil {
		return unit.Changed, true
	}
	onlyInstall := func(f unit.File) unit.File { return unit.File{"Install": f["Install"]} }
	return unit.Classify(a, b), unit.Classify(onlyInstall(a), onlyInstall(b)) != unit.Same
}

// flagChanges says which of gocfg's switching options differ between
// what a generation applied and what is desired ("" when none do).
func flagChanges(a, d *Unit) string {
	var parts []string
	flag := func(name string, was, is bool) {
		if was != is {
			parts = append(parts, fmt.Sprintf("%s %t → %t", name, was, is))
		}
	}
	flag("enable", a.Enable, d.Enable)
	flag("restart_if_changed", a.RestartIfChanged, d.RestartIfChanged)
	flag("reload_if_changed", a.ReloadIfChanged, d.ReloadIfChanged)
	flag("stop_on_removal", a.StopOnRemoval, d.StopOnRemoval)
	return strings.Join(parts, ", ")
}

func describe(ch platform.Change, jobs []string, offline bool) string {
	var parts []string
	switch ch.Action {
	case platform.Create:
		parts = append(parts, "unit file")
	case platform.Update:
		if len(ch.Ops) > 0 {
			parts = append(parts, "unit file changed")
		}
	}
	if len(jobs) > 0 {
		parts = append(parts, strings.Join(jobs, ", "))
	}
	if offline && ch.Action != platform.Delete {
		parts = append(parts, "(not started under --root)")
	}
	return strings.Join(parts, "; ")
}

// stored is the unit file as the files provider's ops write it.
func (u *Unit) stored() files.StoredFile {
	return files.StoredFile{Path: u.Path, Root: u.Root, Rel: u.Rel, Hash: u.Hash, Mode: 0o644, UID: u.UID, GID: u.GID}
}

// dirOps creates the missing folders of a unit's folder, owned as the unit
// file (a user's ~/.config/systemd/user must stay theirs).
func (pl *planner) dirOps(ch *platform.Change, u *Unit) error {
	l := pl.p.Machine
	dir := filepath.Dir(u.Path)
	var missing []string
	for p := dir; p != "/" && p != "."; p = filepath.Dir(p) {
		if by, ok := pl.released[p]; ok {
			// Removed earlier in the plan (the files provider's folder
			// of an environment.etc file that became this unit): made
			// again after.
			missing = append(missing, p)
			ch.Deps = append(ch.Deps, by)
			continue
		}
		if _, err := l.Sys.Lstat(p); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		missing = append(missing, p)
		if u.Scope == "user" && path.Base(p) == ".config" {
			break // the home itself must exist (the files provider or useradd makes it)
		}
	}
	for i := len(missing) - 1; i >= 0; i-- {
		ch.Ops = append(ch.Ops, &files.MkdirOp{Path: missing[i], Mode: 0o755, UID: u.UID, GID: u.GID, Parents: i == len(missing)-1 && u.Scope == "system"})
	}
	return nil
}

// fileDeps are the resource IDs of the files the configuration manages
// that a manager's services read: environment.etc for the system
// manager's, the user's home.<user>.files for a user's. The manager's
// jobs wait for them, so that a service is started, restarted or
// reloaded once the files it reads are written, however deep in new
// folders they are (a change that waits for nothing would otherwise run
// before the files that wait for those folders). IDs of files not in the
// plan are ignored by the ordering.
func (pl *planner) fileDeps(user string) []string {
	fc := pl.p.FilesConfig
	if fc == nil {
		return nil
	}
	var ids []string
	if user == "" {
		for _, k := range sortedKeys(fc.Etc) {
			ids = append(ids, files.EtcFileID(strings.TrimPrefix(path.Clean("/"+k), "/")))
		}
		return ids
	}
	for _, k := range sortedKeys(fc.Home[user].Files) {
		ids = append(ids, files.HomeFileID(user, strings.TrimPrefix(path.Clean("/"+k), "/")))
	}
	return ids
}

// finishScope adds the scope's checkpoint and its batch of jobs.
func (pl *planner) finishScope(sw *scopeWork) {
	if len(sw.ids) == 0 {
		return
	}
	l := pl.p.Machine
	// What a job of root's may be queued behind without accountBound
	// seeing it in the configuration's files (JobOp.Watch).
	// Only the units that run as her: a unit ordered after hers waits
	// on her only while her job is queued, which the manager's queue
	// shows (reviewer: a target after hers, waiting on root's own slow
	// unit once hers was done, failed root's job).
	var watch []string
	if sw.scope.System() && !l.Offline {
		for _, name := range sortedKeys(pl.accountBound) {
			if pl.accountBound[name]&runsAsAccount != 0 {
				watch = append(watch, name)
			}
		}
	}
	pl.part.Changes = append(pl.part.Changes, platform.Change{
		ID: "units:" + sw.key + ":checkpoint", Kind: "units", Action: platform.Update, First: true, Hidden: true,
		Ops: []platform.Op{&CheckpointOp{Scope: sw.scope, Units: sw.befores, Offline: l.Offline,
			AsAccount: len(sw.asAccount) > 0 || slices.ContainsFunc(sw.befores, func(b Before) bool { return b.AsAccount }),
			Watch:     watch}},
	})
	var ops []platform.Op
	add := func(job string, units []string) {
		if len(units) > 0 || job == jobDaemonReload {
			op := &JobOp{Scope: sw.scope, Job: job, Units: units}
			for _, u := range units {
				op.AsAccount = op.AsAccount || sw.asAccount[u]
			}
			if !op.AsAccount && job != jobDaemonReload && job != jobEnable && job != jobDisable {
				op.Watch = watch
			}
			for _, u := range units {
				if sw.settle[u] && (job == jobStart || job == jobRestart) {
					op.Settle = append(op.Settle, u)
				}
			}
			ops = append(ops, op)
		}
	}
	add(jobStop, sw.jobs[jobStop])
	add(jobDisable, sw.jobs[jobDisable])
	add(jobEnable, sw.jobs[jobEnable])
	// After the links change too: enabling over D-Bus, unlike
	// systemctl enable, does not reload, and the manager's targets would
	// not know the units they now want (or no longer want).
	if sw.reload || len(sw.jobs[jobDisable])+len(sw.jobs[jobEnable]) > 0 {
		add(jobDaemonReload, nil)
	}
	add(jobStart, sw.jobs[jobStart])
	add(jobRestart, sw.jobs[jobRestart])
	add(jobReload, sw.jobs[jobReload])
	if len(ops) == 0 {
		return
	}
	deps := append([]string(nil), sw.ids...)
	if sw.user != "" {
		deps = append(deps, users.UserID(sw.user))
	}
	deps = append(deps, packages.InstallID)
	deps = append(deps, pl.fileDeps(sw.user)...)
	pl.part.Changes = append(pl.part.Changes, platform.Change{
		ID: jobsID(sw.key), Kind: "units", Action: platform.Update, Hidden: true, Deps: deps, Ops: ops,
		// Started, restarted and reloaded units read the new generation's
		// linked files (/etc links point through current).
		AfterFlip: true,
	})
}
