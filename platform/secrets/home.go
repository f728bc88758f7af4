package secrets

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/files"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/users"
	agesecrets "github.com/gocfg/gocfg/secrets"
)

// homeWant is one user's desired secrets: the identity files (absolute)
// and the secrets, whose records' Path is absolute.
type homeWant struct {
	home, runtime string
	uid, gid      int
	ids           []string
	secrets       map[string]*wanted
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
	out := map[string]*homeWant{}
	var errs []error
	user := func(name string) (*homeWant, error) {
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
	switch {
	case p.Records != nil:
		for name, h := range p.Records.Homes {
			if !l.Manages(name) {
				continue
			}
			hw, err := user(name)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			hw.ids = h.Identities
			for n, r := range h.Secrets {
				hw.secrets[n] = &wanted{rec: r, uid: hw.uid, gid: hw.gid}
			}
			out[name] = hw
		}
	case p.Config != nil:
		for name, h := range p.Config.Home {
			if !l.Manages(name) {
				continue
			}
			hw, err := user(name)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			for i, id := range h.IdentityPaths {
				abs, err := inHome(hw.home, id)
				if err != nil {
					errs = append(errs, &platform.ConfigError{Option: homeOption(name, "identity_paths"), Msg: fmt.Sprintf("entry %d, %s", i+1, err)})
					continue
				}
				hw.ids = append(hw.ids, abs)
			}
			for n, s := range h.Secrets {
				w, err := hw.fromConfig(l, name, n, s)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				hw.secrets[n] = w
			}
			out[name] = hw
		}
	}
	return out, errors.Join(errs...)
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
		return nil, &platform.ConfigError{Option: opt + ".file", Msg: err.Error()}
	}
	r.Hash = agesecrets.CiphertextHash(ct)
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
			if pl.recs.Homes == nil {
				pl.recs.Homes = map[string]*HomeRecords{}
			}
			pl.recs.Homes[user] = ha
			continue
		}
		if ha == nil {
			ha = &HomeRecords{}
		}
		if err := pl.planHome(user, hw, ha); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// prevFile is the file an applied record wrote, decrypted again from
// the current generation's store.
func (pl *planner) prevFile(user, n string, a *Record, ha *HomeRecords, uid, gid int) *HomeFile {
	return &HomeFile{Path: a.Path, Cipher: pl.l.Store.FilePath(pl.l.Current, StoreRoot, homeStoreRel(user, n)), Hash: a.Hash,
		Identities: ha.Identities, UID: uid, GID: gid, Mode: a.Mode, ids: pl.cliIDs}
}

func (pl *planner) planHome(user string, hw *homeWant, ha *HomeRecords) error {
	l := pl.l
	names := map[string]bool{}
	for n := range ha.Secrets {
		names[n] = true
	}
	recs := &HomeRecords{Secrets: map[string]*Record{}}
	uid, gid := -1, -1
	if hw != nil {
		recs.Identities, uid, gid = hw.ids, hw.uid, hw.gid
		for n := range hw.secrets {
			names[n] = true
		}
	} else if u, g, err := l.Owner(user); err == nil {
		uid, gid = u, g
	}
	var errs []error
	var ids []byte // marks the identities checked
	checkIDs := func() error {
		if ids != nil {
			return nil
		}
		ids = []byte{1}
		if pl.cliIDs != nil {
			pl.homeIDs = pl.cliIDs
			return nil
		}
		loaded, err := loadIdentities(l.Reader(), hw.ids)
		if err != nil {
			return err
		}
		pl.homeIDs = loaded
		return nil
	}
	for _, n := range slices.Sorted(maps.Keys(names)) {
		a := ha.Secrets[n]
		var w *wanted
		if hw != nil {
			w = hw.secrets[n]
		}
		id := HomeSecretID(user, n)
		opt := homeOption(user, "secrets", strconv.Quote(n))
		ch := platform.Change{ID: id, Kind: kind, Deps: []string{users.UserID(user)}}
		if w == nil {
			ch.Action, ch.Before, ch.Note = platform.Delete, describeHome(a), "its plaintext is removed"
			if pl.decrypting() && l.Store != nil && l.Current > 0 {
				ch.Ops = []platform.Op{&HomeRemoveOp{Prev: *pl.prevFile(user, n, a, ha, uid, gid)}}
			}
			pl.part.Changes = append(pl.part.Changes, ch)
			continue
		}
		recs.Secrets[n] = w.rec
		if !pl.decrypting() {
			switch {
			case a == nil:
				ch.Action, ch.After = platform.Create, describeHome(w.rec)
			case !w.rec.same(a):
				ch.Action = platform.Update
				ch.Before, ch.After = differs(a, w.rec)
			default:
				continue
			}
			pl.part.Changes = append(pl.part.Changes, ch)
			continue
		}
		base := hw.base(w.rec.Path)
		sys := l.Reader()
		if _, err := sys.Lstat(base); err != nil {
			if a == nil || !w.rec.same(a) {
				pl.part.Notes = append(pl.part.Notes, fmt.Sprintf("%s: %s does not exist (is %s logged in?): written by the next switch that finds it", opt, base, user))
			}
			continue
		}
		fi, lerr := sys.Lstat(w.rec.Path)
		live := lerr == nil && fi.Mode().IsRegular()
		switch {
		case a == nil || a.Path != w.rec.Path:
			if lerr == nil {
				pl.part.Conflicts = append(pl.part.Conflicts, platform.Conflict{ID: id, Path: w.rec.Path,
					Problem:  "is in the way of secret " + n + " of " + user + ", and gocfg did not write it",
					Remedies: []platform.Remedy{platform.Fix("move it away"), platform.Reconfigure("choose another path in " + opt + ".path")}})
				continue
			}
			if a == nil {
				ch.Action, ch.After = platform.Create, describeHome(w.rec)
			} else {
				ch.Action = platform.Update
				ch.Before, ch.After = differs(a, w.rec)
			}
		case !w.rec.same(a):
			ch.Action = platform.Update
			ch.Before, ch.After = differs(a, w.rec)
			if a.Hash != w.rec.Hash {
				ch.Note = "secret changed"
			}
		case !live:
			ch.Action, ch.After, ch.Drift = platform.Update, describeHome(w.rec), "missing (written again)"
		default:
			continue
		}
		if a == nil || a.Hash != w.rec.Hash {
			if err := checkIDs(); err != nil {
				errs = append(errs, pl.homeFail(opt, user, err))
				continue
			}
			ct := w.cipher
			if ct == nil {
				var err error
				if ct, err = sys.ReadFile(l.Store.FilePath(l.To, StoreRoot, homeStoreRel(user, n))); err != nil {
					errs = append(errs, fmt.Errorf("%s: read the stored ciphertext: %w", id, err))
					continue
				}
			}
			plain, err := decrypt(ct, w.rec.Hash, pl.homeIDs)
			clear(plain)
			if err != nil {
				errs = append(errs, pl.homeFail(opt+".file", user, err))
				continue
			}
		}
		op := &HomeWriteOp{Write: HomeFile{Path: w.rec.Path, Cipher: l.Store.FilePath(l.To, StoreRoot, homeStoreRel(user, n)), Hash: w.rec.Hash,
			Identities: hw.ids, UID: w.uid, GID: w.gid, Mode: w.rec.Mode, ids: pl.cliIDs}, Dirs: missingUnder(sys, base, w.rec.Path)}
		if a != nil && a.Path != w.rec.Path {
			ch.Ops = append(ch.Ops, &HomeRemoveOp{Prev: *pl.prevFile(user, n, a, ha, uid, gid)})
		} else if a != nil && live && l.Current > 0 {
			op.Prev = pl.prevFile(user, n, a, ha, uid, gid)
		}
		ch.Ops = append(ch.Ops, op)
		pl.part.Changes = append(pl.part.Changes, ch)
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
