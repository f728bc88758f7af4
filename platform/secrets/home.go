package secrets

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/files"
	"github.com/gocfg/gocfg/platform/machine"
	agesecrets "github.com/gocfg/gocfg/secrets"
)

// homeWant is one user's desired secrets: the identity files (absolute)
// and the secrets, whose records' Path is absolute.
type homeWant struct {
	home, runtime string
	uid, gid      int
	ids           []string
	secrets       map[string]*wanted
	// gone: from records, the user's account is not on the machine (it
	// was deleted since): her secrets cannot be written, and are held
	// where that can be (tester AV: the boot unit wrote none of the
	// system's secrets, and every rollback was refused, after userdel).
	gone error
}

func homeOption(user string, field ...string) string {
	return strings.Join(append([]string{"home." + user + ".age"}, field...), ".")
}

// inHome resolves a path of a home option: relative to the home, or
// starting with ~/; it must stay in the home.
func inHome(home, p string) (string, error) {
	rel := strings.TrimPrefix(p, "~/")
	if p == "~" || filepath.IsAbs(rel) {
		return "", fmt.Errorf("%q: give a path relative to the home or starting with ~/", p)
	}
	c := filepath.Clean(rel)
	if c == "." || c == ".." || strings.HasPrefix(c, "../") {
		return "", fmt.Errorf("%q leads out of the home", p)
	}
	return filepath.Join(home, c), nil
}

// desiredHomes reads the users' secrets from the configuration or the
// records, for the users this run manages.
func (p *Provider) desiredHomes(l *machine.Machine) (map[string]*homeWant, error) {
	switch {
	case p.Records != nil:
		return managedHomes(l, true, p.Records.Homes, func(_ string, hw *homeWant, h *HomeRecords) []error {
			hw.ids = h.Identities
			for n, r := range h.Secrets {
				hw.secrets[n] = &wanted{rec: r, uid: hw.uid, gid: hw.gid}
			}
			return nil
		})
	case p.Config != nil:
		return managedHomes(l, false, p.Config.Home, func(name string, hw *homeWant, h HomeAge) []error {
			var errs []error
			for i, id := range h.IdentityPaths {
				abs, err := inHome(hw.home, id)
				if err != nil {
					errs = append(errs, &platform.ConfigError{Option: homeOption(name, "identity_paths"), Msg: fmt.Sprintf("entry %d, %s", i+1, err)})
					continue
				}
				hw.ids = append(hw.ids, abs)
			}
			for _, n := range slices.Sorted(maps.Keys(h.Secrets)) { // errors in key order
				w, err := hw.fromConfig(l, name, n, h.Secrets[n])
				if err != nil {
					errs = append(errs, err)
					continue
				}
				hw.secrets[n] = w
			}
			return errs
		})
	}
	return map[string]*homeWant{}, nil
}

// managedHomes makes the homeWant of each user of homes (the records'
// or the configuration's) that this run manages, filled by fill from
// the user's entry. fromRecords: a user whose account is missing is
// gone (homeWant.gone), not an error.
func managedHomes[H any](l *machine.Machine, fromRecords bool, homes map[string]H, fill func(user string, hw *homeWant, h H) []error) (map[string]*homeWant, error) {
	out := map[string]*homeWant{}
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(homes)) { // errors in user order
		h := homes[name]
		if !l.Manages(name) {
			continue
		}
		hw, err := newHomeWant(l, name)
		if err != nil && fromRecords {
			hw = &homeWant{home: l.Home(name), uid: -1, gid: -1, secrets: map[string]*wanted{}, gone: err}
		} else if err != nil {
			errs = append(errs, err)
			continue
		}
		errs = append(errs, fill(name, hw, h)...)
		out[name] = hw
	}
	return out, errors.Join(errs...)
}

// newHomeWant starts user's homeWant: the home, the runtime folder and
// the owner; run as root for another user, both folders are confined.
func newHomeWant(l *machine.Machine, name string) (*homeWant, error) {
	uid, gid, err := l.Owner(name)
	if err != nil {
		return nil, &platform.ConfigError{Option: homeOption(name, "secrets"), Msg: err.Error()}
	}
	hw := &homeWant{home: l.Home(name), uid: uid, gid: gid, secrets: map[string]*wanted{}}
	if a, ok := l.Accounts.User(name); ok {
		hw.runtime = l.UserRuntimeDir(name, a.UID)
	}
	if l.Privileged && name != l.User {
		files.ConfineHome(l.Sys, hw.home)
		if hw.runtime != "" {
			files.ConfineHome(l.Sys, hw.runtime)
		}
	}
	return hw, nil
}

// fromConfig checks one of user's secrets and reads its ciphertext.
func (hw *homeWant) fromConfig(l *machine.Machine, user, name string, s HomeSecret) (*wanted, error) {
	opt := homeOption(user, "secrets", strconv.Quote(name))
	if err := checkName(name); err != nil {
		return nil, &platform.ConfigError{Option: opt, Msg: err.Error()}
	}
	if _, err := parseMode(s.Mode); err != nil {
		return nil, &platform.ConfigError{Option: opt + ".mode", Msg: err.Error()}
	}
	r := &Record{Owner: user, Mode: s.Mode}
	if s.Path != nil {
		p, err := inHome(hw.home, *s.Path)
		if err != nil {
			return nil, &platform.ConfigError{Option: opt + ".path", Msg: err.Error()}
		}
		r.Path = p
	} else {
		rt := hw.runtime
		if rt == "" {
			rt = "/run/user/" + user
		}
		r.Path = filepath.Join(rt, "gocfg", "secrets", name)
	}
	ct, err := l.Sources().ReadFile(s.File)
	if err != nil {
		return nil, fileError(opt+".file", err)
	}
	if err := notAge(opt+".file", ct); err != nil {
		return nil, err
	}
	r.Hash, r.Source = agesecrets.CiphertextHash(ct), s.File
	return &wanted{rec: r, uid: hw.uid, gid: hw.gid, cipher: ct}, nil
}

// base is the folder a user's secret's path is under: the runtime
// folder, or the home.
func (hw *homeWant) base(p string) string {
	if hw.runtime != "" && within(hw.runtime, p) {
		return hw.runtime
	}
	return hw.home
}

// planHomes plans every user's secrets: each a regular file written as
// root through the confined home (or runtime folder), given to the user.
func (pl *planner) planHomes() error {
	l, applied := pl.l, pl.applied
	users := map[string]bool{}
	for u := range pl.homes {
		users[u] = true
	}
	for u := range applied.Homes {
		users[u] = true
	}
	var errs []error
	for _, user := range slices.Sorted(maps.Keys(users)) {
		hw, ha := pl.homes[user], applied.Homes[user]
		if hw == nil && !l.Manages(user) {
			pl.carryHome(user, ha)
			continue
		}
		if l.Switch.Holds(user, pl.p.Config == nil) || l.Switch.Held(user) && (pl.activating() || pl.rollback() && pl.canHold(user, ha)) {
			pl.holdHome(user, hw, ha, len(pl.part.Changes), len(pl.part.Conflicts), nil)
			continue
		}
		if pl.unchangedHome(hw, ha) {
			pl.carryHome(user, ha)
			continue
		}
		if hw != nil && hw.gone != nil {
			if !pl.activating() && !(pl.rollback() && pl.canHold(user, ha)) {
				errs = append(errs, hw.gone)
				continue
			}
			pl.holdHome(user, hw, ha, len(pl.part.Changes), len(pl.part.Conflicts), hw.gone)
			continue
		}
		if ha == nil {
			ha = &HomeRecords{}
		}
		changes, conflicts := len(pl.part.Changes), len(pl.part.Conflicts)
		err := pl.planHome(user, hw, ha)
		if (err != nil || len(pl.part.Conflicts) > conflicts) && pl.canHold(user, applied.Homes[user]) && (pl.p.Config != nil || pl.activating() || err == nil || allHers(err)) {
			pl.holdHome(user, hw, ha, changes, conflicts, err)
			continue
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// unchangedHome reports whether, in a rollback (planned from records,
// not for status), the target generation records user's secrets (hw)
// exactly as the current one does (ha): there is nothing of hers to
// return, and they are carried as they are, her files and identities
// not looked at (tester AG: her edit of a secret's file, unchanged in
// both generations, refused the whole machine's rollback, the deploy
// agent's too).
func (pl *planner) unchangedHome(hw *homeWant, ha *HomeRecords) bool {
	// A rollback: from records, to another generation (reviewer: gocfg
	// secrets activate, the boot unit, plans the current generation
	// against itself, to write what is missing), not for status.
	if pl.p.Records == nil || pl.p.Config != nil || pl.l.Switch.ReportOnly || pl.l.To == pl.l.Current || hw == nil || ha == nil {
		return false
	}
	// A secret the current generation recorded but did not write is
	// written by the next plan that decrypts (Record.Unwritten).
	for _, a := range ha.Secrets {
		if a.Unwritten {
			return false
		}
	}
	if !slices.Equal(hw.ids, ha.Identities) || len(hw.secrets) != len(ha.Secrets) {
		return false
	}
	for n, w := range hw.secrets {
		if a := ha.Secrets[n]; a == nil || w.rec == nil || !reflect.DeepEqual(*w.rec, *a) {
			return false
		}
	}
	return true
}

// carryHome records user's secrets as the current generation has them
// (ha, nil when none): a user this run does not manage, or one held.
func (pl *planner) carryHome(user string, ha *HomeRecords) {
	if ha == nil {
		delete(pl.recs.Homes, user)
		return
	}
	if pl.recs.Homes == nil {
		pl.recs.Homes = map[string]*HomeRecords{}
	}
	pl.recs.Homes[user] = ha
}

// carriedContents are the ciphertexts of a user's carried records (ha),
// linked from the current generation's store, whose records they are.
func (pl *planner) carriedContents(user string, ha *HomeRecords) []generations.Entry {
	l := pl.l
	if ha == nil || l.Current == 0 {
		return nil
	}
	var es []generations.Entry
	for _, n := range slices.Sorted(maps.Keys(ha.Secrets)) {
		root, rel := pl.homeCipherAt(l.Current, user, n)
		e := l.Store.Kept(l.Current, root, rel, hexOf(ha.Secrets[n].Hash), false)
		e.Root, e.Rel = HomeStoreRoot(user), n
		es = append(es, e)
	}
	return es
}

// splitRoots gives each user whose secrets the rollback's target keeps
// with everyone's (a generation made before HomeStoreRoot), and whose
// secrets the new generation records as the target's (not held), a
// root of her own in the generation the rollback records, if it records
// one (Part.AddedRoots), from the target's stored ciphertexts (tester
// AV: each such rollback recorded a generation from which her conflict
// refused everyone's next rollback).
func (pl *planner) splitRoots(recs *Records) {
	l := pl.l
	var entries []generations.Entry
	for _, user := range slices.Sorted(maps.Keys(recs.Homes)) {
		if pl.carried[user] || !StoredWithEveryones(l.Reader(), l.Store, l.To, user) {
			continue
		}
		for _, n := range slices.Sorted(maps.Keys(recs.Homes[user].Secrets)) {
			root, rel := pl.homeCipherAt(l.To, user, n)
			e := l.Store.Kept(l.To, root, rel, hexOf(recs.Homes[user].Secrets[n].Hash), false)
			e.Root, e.Rel = HomeStoreRoot(user), n
			entries = append(entries, e)
		}
	}
	if len(entries) == 0 {
		return
	}
	area := pl.storeArea()
	pl.part.Areas = map[string]generations.Area{}
	for _, e := range entries {
		pl.part.Areas[e.Root] = area
	}
	pl.part.AddedRoots = func() []generations.Entry { return entries }
}

// canHold reports whether user's secrets, of which the current
// generation recorded ha, may be held when their plan fails or meets a
// file in the way, as the files provider holds a home: always in the
// boot unit (activating); not for a switch
// that must be whole (--fail-fast) nor for status, which reports the
// problem as it is. A rollback holds them too (her secret refused root's
// whole rollback, the deploy agent's too), taking her ciphertexts from
// the current generation's store (Part.HeldRoots: her HomeStoreRoot),
// except where the current generation stored them under StoreRoot with
// everyone's (made before HomeStoreRoot; reviewer: her held secrets were
// recorded as the current generation's over the target's ciphertexts).
func (pl *planner) canHold(user string, ha *HomeRecords) bool {
	if pl.activating() {
		return true
	}
	if pl.l.Switch.FailFast || pl.l.Switch.ReportOnly {
		return false
	}
	if pl.p.Config != nil {
		return true
	}
	if !pl.rollback() {
		return false
	}
	return ha == nil || !StoredWithEveryones(pl.l.Reader(), pl.l.Store, pl.l.Current, user)
}

// activating reports whether this plan is gocfg secrets activate's (the
// boot unit): the current generation against itself, best effort. It
// holds a user's secrets for anything that fails them, and writes the
// rest (tester AU: her file in the way of her secret, or her broken key,
// kept the boot unit from writing any secret, the system's too); no
// generation is recorded. Best effort holds her for a failure that is
// not hers too (a stored ciphertext that cannot be read): at boot,
// writing the others matters more than refusing.
func (pl *planner) activating() bool {
	return pl.p.Config == nil && pl.l.Switch.BestEffort && pl.l.To == pl.l.Current
}

// rollback reports whether this plan is a rollback's: from a
// generation's records to another generation (not gocfg secrets
// activate, which plans the current generation against itself).
func (pl *planner) rollback() bool {
	return pl.p.Config == nil && pl.p.Records != nil && pl.l.Store != nil && pl.l.To != pl.l.Current && pl.l.Current > 0
}

// holdHome leaves user's secrets as they are after their plan failed
// (err) or met a file in the way (the conflicts from index conflicts
// on): what the user controls (the identities in her home, the paths
// her secrets go to) fails only her secrets (DESIGN.md §7). The changes
// planned for her from index changes on wait (Part.Held), her records are
// the current generation's, and a failure becomes a held conflict that
// the command warns about (exit status 3).
func (pl *planner) holdHome(user string, hw *homeWant, ha *HomeRecords, changes, conflicts int, err error) {
	part := pl.part
	part.Held = append(part.Held, part.Changes[changes:]...)
	part.Changes = part.Changes[:changes]
	for i := conflicts; i < len(part.Conflicts); i++ {
		part.Conflicts[i].Held = true
	}
	if err != nil {
		part.Conflicts = append(part.Conflicts, platform.HeldConflict(HomeSecretID(user, ""), hw.home, err))
	}
	if ha == nil || len(ha.Secrets) == 0 {
		ha = nil
	}
	pl.carryHome(user, ha)
	if pl.rollback() {
		// The new generation takes her ciphertexts from the current one
		// (canHold), with her records.
		part.HeldRoots = append(part.HeldRoots, HomeStoreRoot(user))
	}
	if pl.carried == nil {
		pl.carried = map[string]bool{}
	}
	pl.carried[user] = true
}

// describeHome shows a user's secret in a plan: its ciphertext's hash,
// mode and file, never content.
func describeHome(r *Record) string {
	return fmt.Sprintf("ciphertext %s, %s %s, %s", short(r.Hash), r.Owner, r.Mode, r.Path)
}

// homeFail is a decryption failure of a user's secret.
func (pl *planner) homeFail(opt, user string, err error) error {
	if pl.p.Config != nil {
		return &platform.ConfigError{Option: opt, Msg: err.Error(), Hint: decryptHint(err, homeOption(user, "identity_paths"))}
	}
	return fmt.Errorf("%s: %w", opt, err)
}

// missingUnder lists the folders between base and p that do not exist,
// outermost first.
func missingUnder(sys interface {
	Lstat(string) (fs.FileInfo, error)
}, base, p string) []string {
	var out []string
	for d := filepath.Dir(p); d != base && within(base, d); d = filepath.Dir(d) {
		if _, err := sys.Lstat(d); !errors.Is(err, fs.ErrNotExist) {
			break
		}
		out = append([]string{d}, out...)
	}
	return out
}
