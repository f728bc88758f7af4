package secrets

import (
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"

	"filippo.io/age"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/users"
)

// homePlan plans one user's secrets.
type homePlan struct {
	pl   *planner
	user string
	// hw is what the user wants, nil when the user's secrets all go; ha
	// what the current generation applied.
	hw *homeWant
	ha *HomeRecords
	// uid and gid own the files: the user's, -1 when unknown.
	uid, gid int
	// idsLoaded says the user's identities were looked at (ids), once a
	// secret had to be decrypted. ids are hers alone (tester AU: they
	// were the planner's, so that after hers failed to load, her next
	// secret was checked with the user's before her).
	idsLoaded bool
	ids       []age.Identity
	idsErr    error
}

// planHome plans user's secrets (each a regular file written as root
// through the confined home or runtime folder, given to the user) and
// records them.
func (pl *planner) planHome(user string, hw *homeWant, ha *HomeRecords) error {
	hp := &homePlan{pl: pl, user: user, hw: hw, ha: ha, uid: -1, gid: -1}
	recs := &HomeRecords{Secrets: map[string]*Record{}}
	if hw != nil {
		recs.Identities, hp.uid, hp.gid = hw.ids, hw.uid, hw.gid
	} else if u, g, err := pl.l.Owner(user); err == nil {
		hp.uid, hp.gid = u, g
	}
	var errs []error
	for _, n := range hp.names() {
		var w *wanted
		if hw != nil {
			w = hw.secrets[n]
		}
		if w != nil {
			recs.Secrets[n] = w.rec
		}
		if err := hp.plan(n, w, ha.Secrets[n]); err != nil {
			errs = append(errs, err)
		}
	}
	if len(recs.Secrets) > 0 {
		if pl.recs.Homes == nil {
			pl.recs.Homes = map[string]*HomeRecords{}
		}
		pl.recs.Homes[user] = recs
	}
	if !pl.decrypting() && hw != nil && len(hw.secrets) > 0 {
		pl.part.Notes = append(pl.part.Notes, homeOption(user, "secrets")+": not decrypted under --root: written by the first switch on the machine itself (or with --secrets --identity FILE)")
	}
	return errors.Join(errs...)
}

// names are the user's secrets to plan, sorted: the applied and the
// desired ones.
func (hp *homePlan) names() []string {
	names := map[string]bool{}
	for n := range hp.ha.Secrets {
		names[n] = true
	}
	if hp.hw != nil {
		for n := range hp.hw.secrets {
			names[n] = true
		}
	}
	return slices.Sorted(maps.Keys(names))
}

// option is the option of the user's secret n.
func (hp *homePlan) option(n string) string {
	return homeOption(hp.user, "secrets", strconv.Quote(n))
}

// plan plans one of the user's secrets: desired (w) or not, applied (a)
// or not.
func (hp *homePlan) plan(n string, w *wanted, a *Record) error {
	ch := platform.Change{ID: HomeSecretID(hp.user, n), Kind: kind, Deps: []string{users.UserID(hp.user)}}
	switch {
	case w == nil:
		hp.remove(n, a, ch)
		return nil
	case !hp.pl.decrypting():
		hp.undecrypted(w, a, ch)
		return nil
	}
	return hp.write(n, w, a, ch)
}

// remove plans the removal of a secret no longer desired, with its
// file when this run decrypts and there is a generation to find it in.
func (hp *homePlan) remove(n string, a *Record, ch platform.Change) {
	l := hp.pl.l
	ch.Action, ch.Before, ch.Note = platform.Delete, describeHome(a), "its plaintext is removed"
	if !hp.pl.decrypting() {
		// Without keys the file cannot be told from her edit, and its
		// removal could not be undone: it stays, and the plan says so
		// (it said "its plaintext is removed", tester T).
		if _, err := l.Reader().Lstat(a.Path); err == nil {
			ch.Note = "no longer managed; " + a.Path + " is left in the tree: without --secrets --identity FILE gocfg cannot tell it from an edit by " + hp.user + "; remove it by hand if it holds the secret"
		}
	} else if l.Store != nil && l.Current > 0 {
		if why := hp.leftAsIs(n, a); why != "" {
			ch.Note = "no longer managed; " + a.Path + " is left as it is: " + why
		} else {
			ch.Ops = []platform.Op{&HomeRemoveOp{Prev: *hp.prev(n, a), Unverified: a.Unwritten, Confined: hp.confined(a.Path)}}
		}
	}
	hp.pl.part.Changes = append(hp.pl.part.Changes, ch)
}

// undecrypted shows a new or changed secret that this run (under --root
// without --secrets) does not write.
func (hp *homePlan) undecrypted(w *wanted, a *Record, ch platform.Change) {
	changed := createOrUpdate(&ch, a, w.rec, describeHome)
	w.rec.Unwritten = changed || a.unwritten()
	if changed {
		hp.pl.part.Changes = append(hp.pl.part.Changes, ch)
	}
}

// write plans the writing of a new, changed or missing secret: not yet
// when its folder is not there (the user is not logged in), after a
// check that it decrypts when its ciphertext is new.
func (hp *homePlan) write(n string, w *wanted, a *Record, ch platform.Change) error {
	sys := hp.pl.l.Reader()
	base := hp.hw.base(w.rec.Path)
	if _, err := sys.Lstat(base); err != nil {
		if a == nil || !w.rec.same(a) || a.Unwritten {
			w.rec.Unwritten = true
			hp.pl.part.Notes = append(hp.pl.part.Notes, fmt.Sprintf("%s: %s does not exist (is %s logged in?): written by the next switch that finds it", hp.option(n), base, hp.user))
		}
		return nil
	}
	fi, lerr := sys.Lstat(w.rec.Path)
	live := lerr == nil && fi.Mode().IsRegular()
	if !hp.action(&ch, n, w, a, lerr == nil, live) {
		return nil
	}
	if a == nil || a.Hash != w.rec.Hash || a.Unwritten {
		if err := hp.check(n, w); err != nil {
			return err
		}
	}
	ch.Ops = hp.writeOps(n, w, a, base, live)
	hp.pl.part.Changes = append(hp.pl.part.Changes, ch)
	return nil
}

// action sets what ch does to a secret this run writes, and says
// whether it does anything. A file in the way of a new path (exists),
// which gocfg did not write, is a conflict; live says the file at the
// path is a regular file.
func (hp *homePlan) action(ch *platform.Change, n string, w *wanted, a *Record, exists, live bool) bool {
	newPath := a == nil || a.Path != w.rec.Path
	if newPath && exists {
		hp.pl.part.Conflicts = append(hp.pl.part.Conflicts, platform.Conflict{ID: ch.ID, Path: w.rec.Path,
			Problem:  "is in the way of secret " + n + " of " + hp.user + ", and gocfg did not write it",
			Remedies: []platform.Remedy{platform.Fix("move it away"), platform.Reconfigure("choose another path in " + hp.option(n) + ".path")}})
		return false
	}
	if !newPath && exists {
		if why := hp.notWritten(n, a, live); why != "" {
			hp.pl.part.Conflicts = append(hp.pl.part.Conflicts, platform.Conflict{ID: ch.ID, Path: w.rec.Path,
				Problem:  "secret " + n + " of " + hp.user + ": " + why,
				Remedies: []platform.Remedy{platform.Fix("move it away (gocfg writes the secret again)"), platform.Reconfigure("choose another path in " + hp.option(n) + ".path")}})
			return false
		}
	}
	switch {
	case createOrUpdate(ch, a, w.rec, describeHome):
		if !newPath && a.Hash != w.rec.Hash {
			ch.Note = "secret changed"
		}
	case !live:
		ch.Action, ch.After, ch.Drift = platform.Update, describeHome(w.rec), "missing (written again)"
	case a.Unwritten:
		ch.Action, ch.After, ch.Note = platform.Update, describeHome(w.rec), unwrittenNote
	default:
		return false
	}
	return true
}

// loadIDs loads the user's identities, or takes those of the command
// line, the first time a secret is checked. It looks once: a failure is
// the answer for each of her secrets.
func (hp *homePlan) loadIDs() error {
	if hp.idsLoaded {
		return hp.idsErr
	}
	hp.idsLoaded = true
	if hp.pl.cliIDs != nil {
		hp.ids = hp.pl.cliIDs
		return nil
	}
	hp.ids, hp.idsErr = loadIdentities(hp.pl.l.Reader(), hp.hw.ids)
	return hp.idsErr
}

// check decrypts a secret with a new ciphertext at plan time, so that a
// wrong identity or a damaged file fails the plan before anything
// changes. The plaintext is dropped at once.
func (hp *homePlan) check(n string, w *wanted) error {
	l, opt := hp.pl.l, hp.option(n)
	if err := hp.loadIDs(); err != nil {
		return hp.hers(hp.pl.homeFail(opt, hp.user, err))
	}
	ct := w.cipher
	if ct == nil {
		var err error
		if ct, err = l.Reader().ReadFile(hp.pl.homeCipher(l.To, hp.user, n)); err != nil {
			return fmt.Errorf("%s: read the stored ciphertext: %w", HomeSecretID(hp.user, n), err)
		}
	}
	plain, err := decrypt(ct, w.rec.Hash, hp.ids)
	clear(plain)
	if err != nil {
		return hp.hers(hp.pl.homeFail(opt+".file", hp.user, err))
	}
	return nil
}

// hersError is a failure of a user's secret that she controls: her
// identity files (missing, unreadable, not the key the file was
// encrypted to). A rollback holds her secrets for these and for her
// files in the way, and refuses for the rest (reviewer R15: a wrong
// --identity of the command, or a stored ciphertext that cannot be
// read, held every user's secrets instead of refusing).
type hersError struct{ err error }

func (e hersError) Error() string { return e.err.Error() }
func (e hersError) Unwrap() error { return e.err }

// hers marks err as hersError when her own identities were used (not
// the command's --identity), in a plan from records (a switch holds her
// secrets for any failure, and shows a configuration error as it is).
func (hp *homePlan) hers(err error) error {
	if hp.pl.cliIDs != nil || hp.pl.p.Config != nil {
		return err
	}
	return hersError{err}
}

// allHers reports whether err, and every error joined in it, is a
// hersError.
func allHers(err error) bool {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			if !allHers(e) {
				return false
			}
		}
		return true
	}
	_, ok := err.(hersError)
	return ok
}

// writeOps write the secret under base (making the folders it lacks),
// removing the file of its old path, or keeping the file it replaces
// for a rollback of the switch.
func (hp *homePlan) writeOps(n string, w *wanted, a *Record, base string, live bool) []platform.Op {
	l := hp.pl.l
	op := &HomeWriteOp{Write: HomeFile{Path: w.rec.Path, Decryption: Decryption{Cipher: hp.pl.homeCipher(l.To, hp.user, n), Hash: w.rec.Hash,
		Identities: hp.hw.ids, UID: w.uid, GID: w.gid, Mode: w.rec.Mode, ids: hp.pl.cliIDs}}, Dirs: missingUnder(l.Reader(), base, w.rec.Path)}
	op.Confined = hp.confined(w.rec.Path)
	var ops []platform.Op
	if a != nil && a.Path != w.rec.Path {
		if why := hp.leftAsIs(n, a); why != "" {
			hp.pl.part.Notes = append(hp.pl.part.Notes, fmt.Sprintf("%s: its old file %s is left as it is: %s", hp.option(n), a.Path, why))
		} else {
			ops = append(ops, &HomeRemoveOp{Prev: *hp.prev(n, a), Unverified: a.Unwritten, Confined: hp.confined(a.Path)})
		}
	} else if a != nil && live && l.Current > 0 {
		op.Prev, op.Unverified = hp.prev(n, a), a.Unwritten
	}
	return append(ops, op)
}

// confined are the user's folders that hold paths, which a home
// secret's op confines itself (HomeWriteOp.Confined): her home and her
// runtime folder, when root acts for another user; none otherwise. A
// path in neither (the account gone, its home moved) confines its own
// folder, so that no link put in place of a folder above is followed.
func (hp *homePlan) confined(paths ...string) []string {
	l := hp.pl.l
	if !l.Privileged || hp.user == l.User {
		return nil
	}
	roots := []string{l.Home(hp.user)}
	if hp.hw != nil {
		roots = []string{hp.hw.home, hp.hw.runtime}
	} else if a, ok := l.Accounts.User(hp.user); ok {
		roots = append(roots, l.UserRuntimeDir(hp.user, a.UID))
	}
	var out []string
	for _, p := range paths {
		i := slices.IndexFunc(roots, func(r string) bool { return r != "" && within(r, p) })
		dir := filepath.Dir(p)
		if i >= 0 {
			dir = roots[i]
		}
		if !slices.Contains(out, dir) {
			out = append(out, dir)
		}
	}
	return out
}

// prev is the file an applied record wrote, decrypted again from the
// current generation's store.
func (hp *homePlan) prev(n string, a *Record) *HomeFile {
	l := hp.pl.l
	return &HomeFile{Path: a.Path, Decryption: Decryption{Cipher: hp.pl.homeCipher(l.Current, hp.user, n), Hash: a.Hash,
		Identities: hp.ha.Identities, UID: hp.uid, GID: hp.gid, Mode: a.Mode, ids: hp.pl.cliIDs}}
}

// leftAsIs says why the file at the applied path of secret n, which
// gocfg would remove, is left as it is: something is there that gocfg
// did not write (notWritten); "" when it may go (or nothing is there).
func (hp *homePlan) leftAsIs(n string, a *Record) string {
	fi, err := hp.pl.l.Reader().Lstat(a.Path)
	if err != nil {
		return ""
	}
	return hp.notWritten(n, a, fi.Mode().IsRegular())
}

// notWritten says why what is at the applied path of secret n (live: a
// regular file) is not what gocfg wrote there, "" when it is or when
// this run cannot tell (the current generation's ciphertext does not
// decrypt, or was never written). A file the user wrote or edited there, or a link she made,
// is hers: never overwritten nor removed (a file gocfg did not write in
// the way stops the switch, as in the rest of her home).
func (hp *homePlan) notWritten(n string, a *Record, live bool) string {
	if !live {
		return "something other than the file gocfg wrote is there (a link or a folder)"
	}
	l := hp.pl.l
	// Unwritten: the generation's ciphertext was never decrypted here,
	// so the file holds an earlier one's plaintext: cannot tell.
	if l.Current <= 0 || l.Store == nil || a.Unwritten {
		return ""
	}
	plain, err := hp.prev(n, a).plaintext(l.Reader(), HomeSecretID(hp.user, n))
	defer clear(plain)
	if err != nil {
		return ""
	}
	if same, err := holdsPlain(l.Reader(), a.Path, plain); err == nil && !same {
		return "changed since gocfg wrote it"
	}
	return ""
}
