package secrets

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/gocfg/gocfg/modules/optpath"
	"io"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"filippo.io/age"
	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/internal/filestat"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/files"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/platform/users"
	agesecrets "github.com/gocfg/gocfg/secrets"
)

// A Provider plans the system secrets. Desired comes from the
// configuration (Config) or from a generation's records (Records:
// rollback, status, the boot unit).
type Provider platform.Base[Config, Records]

var (
	_ platform.Provider    = (*Provider)(nil)
	_ platform.FactsReader = (*Provider)(nil)
)

// Name keys the records in resources.json.
func (*Provider) Name() string { return "secrets" }

// Plan plans with the machine's own accounts.
func (p *Provider) Plan(ctx context.Context, applied json.RawMessage) (*platform.Part, error) {
	return p.PlanWith(ctx, applied, platform.Facts{})
}

// wanted is one desired secret: its record, the owner's ids and, from
// the configuration, the ciphertext read from the repository.
type wanted struct {
	rec      *Record
	uid, gid int
	cipher   []byte
}

// option names a secret's option for errors.
func option(name string, field ...string) string {
	return strings.Join(append([]string{"age.secrets." + strconv.Quote(name)}, field...), ".")
}

// PlanWith compares the desired secrets, what the current generation
// applied and /run/gocfg/secrets (see the package documentation).
func (p *Provider) PlanWith(ctx context.Context, appliedData json.RawMessage, facts platform.Facts) (*platform.Part, error) {
	l := facts.On(p.Machine)
	applied, err := DecodeRecords(appliedData)
	if err != nil {
		return nil, err
	}
	if applied.Secrets == nil {
		applied.Secrets = map[string]*Record{}
	}
	part := &platform.Part{Records: &Records{}}
	if p.Config != nil && len(p.Config.Secrets)+len(p.Config.Home) > 0 && l.OS != "linux" {
		return nil, &platform.ConfigError{Option: "age.secrets", Msg: "secrets are written on Linux only (/run/gocfg/secrets); macOS is not built yet"}
	}
	if l.OS != "linux" {
		part.Records = applied
		return part, nil
	}
	want, ids, err := p.desired(l)
	if err != nil {
		return nil, err
	}
	homes, err := p.desiredHomes(l)
	if err != nil {
		return nil, err
	}
	recs := &Records{}
	pl := &planner{p: p, l: l, applied: applied, want: want, ids: ids, homes: homes, part: part, recs: recs}
	if l.Offline && l.Switch.Secrets {
		if pl.cliIDs, err = loadIdentities(l.Sources(), l.Switch.Identities); err != nil {
			return nil, &IdentityFlagError{err}
		}
		pl.ownersUnknown()
	}
	switch {
	case len(want) == 0 && len(applied.Secrets) == 0:
	case !l.Privileged && !l.Offline:
		recs.Set, recs.Secrets, recs.Identities = applied.Set, applied.Secrets, applied.Identities
		part.Notes = append(part.Notes, "age.secrets: writing secrets needs root; skipped")
	default:
		if err := pl.plan(ctx); err != nil {
			return nil, err
		}
	}
	if p.Config != nil && len(p.Config.Secrets) > 0 && !l.Offline && !l.Switch.ReportOnly {
		if w := bootBinaryWarning(l.Reader(), p.Config.GocfgBinary); w != "" {
			part.Warnings = append(part.Warnings, w)
		}
	}
	if err := pl.planHomes(); err != nil {
		return nil, err
	}
	if len(recs.Secrets) == 0 {
		recs.Secrets = nil
	}
	// A generation this plan writes, a switch's or a rollback's that
	// records one, keeps each user's ciphertexts in her own root
	// (contents, splitRoots, HeldRoots).
	recs.HomeRoots = len(recs.Homes) > 0
	part.Records = recs
	pl.contents(recs)
	return part, nil
}

// systemdPath is where systemd looks for a program named without a
// folder in ExecStart=.
var systemdPath = []string{"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"}

// bootBinaryWarning says when the program gocfg-secrets.service runs
// (age.gocfg_binary) is not on the machine: the secrets would not come
// back after a reboot.
func bootBinaryWarning(sys interface {
	Stat(string) (fs.FileInfo, error)
}, bin string) string {
	if bin == "" {
		return ""
	}
	candidates := []string{bin}
	if !strings.Contains(bin, "/") {
		candidates = nil
		for _, d := range systemdPath {
			candidates = append(candidates, filepath.Join(d, bin))
		}
	}
	for _, c := range candidates {
		if fi, err := sys.Stat(c); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return ""
		}
	}
	return fmt.Sprintf("age.gocfg_binary: gocfg-secrets.service runs %q, which is not on this machine: after a reboot the secrets cannot be written back; install gocfg there, or set age.gocfg_binary to its full path", bin)
}

// desired reads the wanted secrets and identity paths from the
// configuration or the records.
func (p *Provider) desired(l *machine.Machine) (map[string]*wanted, []string, error) {
	want := map[string]*wanted{}
	var recs map[string]*Record
	var ids []string
	var errs []error
	switch {
	case p.Records != nil:
		recs, ids = p.Records.Secrets, p.Records.Identities
	case p.Config != nil:
		recs, ids = map[string]*Record{}, p.Config.IdentityPaths
		for _, name := range slices.Sorted(maps.Keys(p.Config.Secrets)) { // errors in key order
			r, ct, err := p.fromConfig(l, name, p.Config.Secrets[name])
			if err != nil {
				errs = append(errs, err)
				continue
			}
			recs[name] = r
			want[name] = &wanted{rec: r, cipher: ct}
		}
		for i, id := range ids {
			if !filepath.IsAbs(id) {
				errs = append(errs, &platform.ConfigError{Option: "age.identity_paths", Msg: fmt.Sprintf("entry %d, %q: not an absolute path", i+1, id)})
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(recs)) {
		r, w := recs[name], want[name]
		if w == nil {
			w = &wanted{rec: r}
			want[name] = w
		}
		uid, gid, err := owner(l, r)
		if err != nil {
			ce := &platform.ConfigError{Option: option(name, "owner"), Msg: err.Error()}
			switch {
			case l.Deleting[r.Owner]:
				ce.Hint = "keep " + optpath.Path{"users", r.Owner}.String() + ", or give the secret another owner"
			case l.DeletingGroups[r.Group]:
				ce.Option = option(name, "group")
			}
			errs = append(errs, ce)
			continue
		}
		w.uid, w.gid = uid, gid
	}
	return want, ids, errors.Join(errs...)
}

// ownersUnknown notes, when a --root switch decrypts, the secrets whose
// owner or group the tree's account database lacks (a tree without
// /etc/passwd yet): written root's, which the plan did not show (tester
// Q), until the tree boots and gocfg-secrets.service writes them again
// with the owners its accounts have then.
func (pl *planner) ownersUnknown() {
	for _, name := range slices.Sorted(maps.Keys(pl.want)) {
		r := pl.want[name].rec
		var missing []string
		if _, ok := pl.l.Accounts.User(r.Owner); r.Owner != "" && r.Owner != "root" && !ok {
			missing = append(missing, "user "+r.Owner)
		}
		if _, ok := pl.l.Accounts.Group(r.Group); r.Group != "" && r.Group != "root" && !ok {
			missing = append(missing, "group "+r.Group)
		}
		if len(missing) > 0 {
			pl.part.Notes = append(pl.part.Notes, fmt.Sprintf("%s: the tree has no %s: written root's now; gocfg-secrets.service writes it with its owner when the tree boots", option(name), strings.Join(missing, " and ")))
		}
	}
}

// fromConfig checks one secret of the configuration and reads its
// ciphertext.
func (p *Provider) fromConfig(l *machine.Machine, name string, s Secret) (*Record, []byte, error) {
	if err := checkName(name); err != nil {
		return nil, nil, &platform.ConfigError{Option: option(name), Msg: err.Error()}
	}
	if _, err := parseMode(s.Mode); err != nil {
		return nil, nil, &platform.ConfigError{Option: option(name, "mode"), Msg: err.Error()}
	}
	r := &Record{Owner: s.Owner, Mode: s.Mode, RestartUnits: s.RestartUnits, ReloadUnits: s.ReloadUnits}
	if s.Group != nil {
		r.Group = *s.Group
	}
	if s.Path != nil {
		if err := checkPath(l, *s.Path); err != nil {
			return nil, nil, &platform.ConfigError{Option: option(name, "path"), Msg: err.Error(),
				Hint: "set an absolute path outside /run/gocfg and outside users' homes, such as /etc/app/token"}
		}
		r.Path = filepath.Clean(*s.Path)
	}
	ct, err := l.Sources().ReadFile(s.File)
	if err != nil {
		return nil, nil, fileError(option(name, "file"), err)
	}
	if err := notAge(option(name, "file"), ct); err != nil {
		return nil, nil, err
	}
	r.Hash, r.Source = agesecrets.CiphertextHash(ct), s.File
	return r, ct, nil
}

// checkPath refuses a path that is not absolute, is gocfg's own or lies
// in a home, where root would make a link in a folder its user
// controls (DESIGN.md §7).
func checkPath(l *machine.Machine, p string) error {
	if !filepath.IsAbs(p) {
		return fmt.Errorf("%q is not an absolute path", p)
	}
	c := filepath.Clean(p)
	if c == "/" || within(runDir, c) || within("/var/lib/gocfg", c) {
		return fmt.Errorf("%q is gocfg's own folder", p)
	}
	if l.Accounts != nil {
		for _, a := range l.Accounts.Users() {
			h := filepath.Clean(a.Home)
			if a.UID == 0 || h == "/" || h == "." || !filepath.IsAbs(h) {
				continue
			}
			if within(h, c) {
				return fmt.Errorf("%q is in the home of %s (%s), which that user controls: declare it as a secret of that user instead (home.%s.age.secrets, written as her file)", p, a.Name, h, a.Name)
			}
		}
	}
	return nil
}

// within reports whether p is dir or below it.
func within(dir, p string) bool {
	return p == dir || strings.HasPrefix(p, strings.TrimSuffix(dir, "/")+"/")
}

// owner finds the uid and gid a secret is written with: -1 when this
// run sets no owner (offline, for an account the tree lacks).
func owner(l *machine.Machine, r *Record) (int, int, error) {
	uid, gid, err := l.Owner(r.Owner)
	if err != nil || !l.Privileged {
		return uid, gid, err
	}
	if r.Group != "" {
		g, ok := l.Accounts.Group(r.Group)
		switch {
		case l.DeletingGroups[r.Group]:
			return 0, 0, fmt.Errorf("group %s is deleted by this switch: the secret would be left to its gid, which a group made later may get; keep the group (or the account whose own group it is), or give the secret another group", r.Group)
		case ok:
			gid = g
		case l.Offline:
			gid = -1
		default:
			return 0, 0, fmt.Errorf("group %s does not exist on this machine", r.Group)
		}
	}
	return uid, gid, nil
}

// planner plans one switch of the secrets.
type planner struct {
	p       *Provider
	l       *machine.Machine
	applied *Records
	want    map[string]*wanted
	ids     []string
	homes   map[string]*homeWant
	part    *platform.Part
	recs    *Records

	liveTarget string
	liveSet    string
	liveFiles  map[string]bool
	// liveDrift says how a live secret's file was changed by hand (its
	// mode, its owner), by name.
	liveDrift  map[string]string
	decryptIDs []age.Identity
	// cliIDs are the identities given on the command line (--root
	// --secrets --identity FILE), read from this machine, not the tree.
	cliIDs    []age.Identity
	loadedIDs bool
	idsErr    error // why the identities could not be read, once
	// carried are the users whose secrets' records are the current
	// generation's (carryHome): their ciphertexts come from there too.
	carried map[string]bool
	// way holds the folders on the way to secrets' paths looked at by
	// files.ConfineWay (true: confined).
	way map[string]bool
}

// live reads /run/gocfg/secrets: the set it points at, and which of the
// applied secrets are in it. A set of another name than the recorded
// one is not taken as theirs, except when the generation recorded none
// (it was built under --root, and the boot unit named the set).
func (pl *planner) live() error {
	pl.liveFiles = map[string]bool{}
	sys := pl.l.Reader()
	t, err := readLink(sys, liveLink)
	if err != nil {
		return err
	}
	pl.liveTarget = t
	set, ok := strings.CutPrefix(t, setsLinkDir+"/")
	if !ok || set == "" || strings.Contains(set, "/") {
		return nil
	}
	pl.liveSet = set
	// Without keys (--root without --secrets) what is in the set is not
	// compared; the set itself may be removed (dropEarlierSet).
	if !pl.decrypting() || (pl.applied.Set != "" && set != pl.applied.Set) {
		return nil
	}
	for name, a := range pl.applied.Secrets {
		fi, err := sys.Lstat(filepath.Join(setDir(set), name))
		pl.liveFiles[name] = err == nil && fi.Mode().IsRegular()
		if pl.liveFiles[name] {
			// Both said (tester Q: a mode and a content changed showed
			// the mode alone).
			why := pl.changedByHand(fi, a)
			if c := pl.contentChanged(set, name, fi, a); why == "" {
				why = c
			} else if c != "" {
				why = strings.TrimSuffix(why, " (written again)") + "; " + c
			}
			if why != "" {
				if pl.liveDrift == nil {
					pl.liveDrift = map[string]string{}
				}
				pl.liveDrift[name] = why
			}
		}
	}
	return nil
}

// changedByHand says how the live file fi of the secret recorded as a
// differs from what gocfg wrote: its mode, or its owner where this run
// sets owners ("" when neither). contentChanged compares the content.
func (pl *planner) changedByHand(fi fs.FileInfo, a *Record) string {
	if mode, err := parseMode(a.Mode); err == nil && fi.Mode().Perm() != mode {
		return fmt.Sprintf("mode changed to %04o since gocfg wrote it (written again)", fi.Mode().Perm())
	}
	uid, gid, err := owner(pl.l, a)
	u, g := filestat.Owner(fi)
	if err == nil && u >= 0 && ((uid >= 0 && u != uid) || (gid >= 0 && g != gid)) {
		return fmt.Sprintf("owner changed to %d:%d since gocfg wrote it (written again)", u, g)
	}
	return ""
}

// contentChanged says whether the live file fi of secret name in set
// no longer holds what the current generation's ciphertext decrypts to,
// as agenix writes every secret again at every activation. It decrypts
// each secret at each plan (an X25519 decryption is some tens of
// microseconds) and reads at most one byte more than the plaintext from
// the file, which its owner may have filled. "" also when it cannot
// tell: no identity this run may read (an ordinary user's status), no
// stored ciphertext.
func (pl *planner) contentChanged(set, name string, fi fs.FileInfo, a *Record) string {
	l := pl.l
	if l.Current <= 0 || l.Store == nil || a.Unwritten {
		return ""
	}
	ids, err := pl.identities()
	if err != nil {
		pl.cannotDecrypt(name, err)
		return ""
	}
	sys := l.Reader()
	ct, err := sys.ReadFile(l.Store.FilePath(l.Current, StoreRoot, storeRel(name)))
	if err != nil {
		return ""
	}
	plain, err := decrypt(ct, a.Hash, ids)
	defer clear(plain)
	if err != nil {
		pl.cannotDecrypt(name, err)
		return ""
	}
	const changed = "content changed since gocfg wrote it (written again)"
	if fi.Size() != int64(len(plain)) {
		return changed
	}
	same, err := holdsPlain(sys, filepath.Join(setDir(set), name), plain)
	if err != nil || same {
		return ""
	}
	return changed
}

// cannotDecrypt warns, when root plans, that the machine's identities
// no longer decrypt the secret name of the current generation (the host
// key changed, or was removed): its file still holds what an earlier
// key decrypted, but nothing compares it, and after a reboot
// gocfg-secrets.service cannot write the secrets. An ordinary user's
// status cannot read the identities: nothing to say.
func (pl *planner) cannotDecrypt(name string, err error) {
	if !pl.l.Privileged {
		return
	}
	pl.part.Warnings = append(pl.part.Warnings, fmt.Sprintf("%s: the identities in age.identity_paths cannot decrypt the ciphertext it was written from (%v): its content is not compared, and after a reboot gocfg-secrets.service cannot write the secrets; %s",
		SecretID(name), err, decryptHint(err, "age.identity_paths")))
}

// identities are the identities this plan decrypts with, read once: the
// command's (--root --secrets --identity FILE), else age.identity_paths.
func (pl *planner) identities() ([]age.Identity, error) {
	if !pl.loadedIDs && pl.cliIDs != nil {
		pl.decryptIDs, pl.loadedIDs = pl.cliIDs, true
	}
	if !pl.loadedIDs {
		if pl.idsErr != nil {
			return nil, pl.idsErr
		}
		ids, err := loadIdentities(pl.l.Reader(), pl.ids)
		if err != nil {
			pl.idsErr = err
			return nil, err
		}
		pl.decryptIDs, pl.loadedIDs = ids, true
	}
	return pl.decryptIDs, nil
}

// plan plans the system secrets of a machine this run writes them on
// (as root, or under --root).
func (pl *planner) plan(ctx context.Context) error {
	if err := pl.live(); err != nil {
		return err
	}
	names := pl.names()
	decrypting := pl.decrypting()
	sp := &setPlan{rewrite: decrypting && pl.rewrites(names), deps: []string{setID}}
	if sp.rewrite && len(pl.want) > 0 {
		sp.set = pl.newSet()
	}
	recs := pl.recs
	recs.Set, recs.Secrets, recs.Identities = pl.liveSet, map[string]*Record{}, pl.ids
	if sp.rewrite {
		recs.Set = sp.set
	}
	if !decrypting {
		recs.Set = ""
	}
	var errs []error
	for _, n := range names {
		if err := pl.planSecret(n, sp); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if !decrypting {
		pl.dropEarlierSet()
		if len(pl.want) > 0 {
			pl.part.Notes = append(pl.part.Notes, "age.secrets: not decrypted under --root: the ciphertext is stored in the generation and gocfg-secrets.service writes the secrets in /run/gocfg/secrets when the tree boots, with its own host key (gocfg switch --root DIR --secrets --identity FILE decrypts them into the tree now)")
		}
		return nil
	}
	pl.planSwap(sp)
	return nil
}

// dropEarlierSet removes, under --root without --secrets, the set a
// switch with --secrets decrypted into the tree earlier, when a secret
// in it is no longer desired: that secret's plaintext goes, as the plan
// says, and with it the others', which gocfg-secrets.service writes when
// the tree boots (its /run is then a RAM file system anyway) and a
// switch with --secrets writes again. Before, the plan said "its
// plaintext is removed" and left it in the tree (tester T). A changed
// secret keeps its earlier plaintext until then (Record.Unwritten).
func (pl *planner) dropEarlierSet() {
	if pl.liveTarget == "" {
		return
	}
	gone := map[string]bool{}
	for n := range pl.applied.Secrets {
		if pl.want[n] == nil {
			gone[SecretID(n)] = true
		}
	}
	var removed []string
	for i := range pl.part.Changes {
		if ch := &pl.part.Changes[i]; gone[ch.ID] {
			removed = append(removed, ch.ID)
			ch.Note = "its plaintext is removed, and with it the other secrets decrypted into the tree earlier: the boot unit or a switch with --secrets writes them again"
		}
	}
	if len(removed) == 0 {
		return
	}
	swap := &SwapOp{Link: liveLink, Prev: pl.liveTarget, Sets: setsDir}
	if pl.liveSet != "" {
		swap.Old = setDir(pl.liveSet)
	}
	pl.part.Changes = append(pl.part.Changes, platform.Change{ID: swapID, Kind: "secrets", Action: platform.Update, Hidden: true,
		Deps: removed, Ops: []platform.Op{swap}})
}

// names are the secrets to plan, sorted: the desired ones and the
// applied ones no longer desired.
func (pl *planner) names() []string {
	return slices.Sorted(func(yield func(string) bool) {
		for n := range pl.want {
			if !yield(n) {
				return
			}
		}
		for n := range pl.applied.Secrets {
			if _, ok := pl.want[n]; !ok && !yield(n) {
				return
			}
		}
	})
}

// rewrites says whether the set is written anew: when anything about
// the secrets changed or the live one is not the one recorded (a reboot
// without the boot unit, a hand edit).
func (pl *planner) rewrites(names []string) bool {
	for _, n := range names {
		a, w := pl.applied.Secrets[n], pl.want[n]
		if w == nil || !w.rec.same(a) || !pl.liveFiles[n] || a.Unwritten || pl.liveDrift[n] != "" {
			return true
		}
	}
	return false
}

// planSecret plans one secret: its removal; its change (written,
// checked, its units restarted, its link made); or, unchanged, its copy
// into a new set and its link put back.
func (pl *planner) planSecret(n string, sp *setPlan) error {
	a, w := pl.applied.Secrets[n], pl.want[n]
	if w == nil {
		pl.planRemove(n, a)
		sp.write(n, a, true)
		return nil
	}
	pl.recs.Secrets[n] = w.rec
	ch, ok := pl.change(n, w, a, sp.rewrite)
	if !pl.decrypting() {
		w.rec.Unwritten = ok || a.unwritten()
	}
	if !ok {
		pl.planUnchanged(n, w, a, sp)
		return nil
	}
	decrypting := pl.decrypting()
	if decrypting {
		ch.Deps = append([]string{setID}, userDeps(w.rec)...)
		if err := pl.check(n, w, a); err != nil {
			return err
		}
		if pl.writable(n, w) {
			ch.Ops = append(ch.Ops, pl.writeOp(sp.set, n, w))
			sp.write(n, w.rec, false)
		} else {
			ch.Note = "not written: it does not decrypt"
		}
	}
	// A secret written again unchanged (drift: after a reboot, by the
	// boot unit) restarts nothing: its units start after it, and a
	// restart from inside the boot unit's start would wait for it.
	if us := append(slices.Clone(w.rec.RestartUnits), w.rec.ReloadUnits...); decrypting && ch.Drift == "" && len(us) > 0 {
		sp.restart = append(sp.restart, w.rec.RestartUnits...)
		sp.reload = append(sp.reload, w.rec.ReloadUnits...)
		ch.Note = strings.TrimPrefix(ch.Note+"; restarts or reloads "+strings.Join(us, ", ")+" if running", "; ")
	}
	ch.Ops = append(ch.Ops, pl.linkOps(n, w, a)...)
	sp.changed = append(sp.changed, ch.ID)
	pl.part.Changes = append(pl.part.Changes, ch)
	return nil
}

// planRemove plans the removal of a secret no longer desired: its
// plaintext goes with its set, its link here.
func (pl *planner) planRemove(n string, a *Record) {
	ch := platform.Change{ID: SecretID(n), Kind: kind, Action: platform.Delete, Before: describe(a), Note: "its plaintext is removed"}
	// Its link goes with or without keys: it needs none. Confined as
	// the link's making is (tester X: the recovery of a killed switch
	// that removed it made the link again through a folder its account
	// had swapped for a link to a root-only folder).
	if a.Path != "" {
		ch.Ops = append(ch.Ops, &UnlinkOp{Path: a.Path, Target: LivePath(n), Confined: pl.confineWay(a.Path)})
	}
	pl.part.Changes = append(pl.part.Changes, ch)
}

// change is the change of a new or changed secret, or of one missing
// from the live set when the set is written anew (rewrite); false when
// the secret is unchanged.
func (pl *planner) change(n string, w *wanted, a *Record, rewrite bool) (platform.Change, bool) {
	ch := platform.Change{ID: SecretID(n), Kind: kind}
	switch {
	case createOrUpdate(&ch, a, w.rec, describe):
		if a != nil && a.Hash != w.rec.Hash {
			ch.Note = "secret changed"
		}
	case rewrite && !pl.liveFiles[n]:
		ch.Action, ch.After = platform.Update, describe(w.rec)
		ch.Drift = "not in " + liveLink + " (written again)"
	case rewrite && pl.liveDrift[n] != "":
		ch.Action, ch.After, ch.Drift = platform.Update, describe(w.rec), pl.liveDrift[n]
	case a.Unwritten && pl.decrypting():
		ch.Action, ch.After, ch.Note = platform.Update, describe(w.rec), unwrittenNote
	default:
		return ch, false
	}
	return ch, true
}

// planUnchanged copies an unchanged secret into the new set, when one
// is written (just before the swap, with no change of its own), and
// makes its link again when the path is not gocfg's link.
func (pl *planner) planUnchanged(n string, w *wanted, a *Record, sp *setPlan) {
	if sp.rewrite && pl.writable(n, w) {
		sp.swapOps = append(sp.swapOps, pl.writeOp(sp.set, n, w))
		sp.deps = append(sp.deps, userDeps(w.rec)...)
	}
	if ops := pl.linkOps(n, w, a); len(ops) > 0 {
		pl.part.Changes = append(pl.part.Changes, platform.Change{ID: SecretID(n), Kind: kind, Action: platform.Update,
			After: describe(w.rec), Drift: w.rec.Path + " is not gocfg's link (made again)", Ops: ops})
	}
}

// writeOp writes secret n into set, decrypted from the new generation's
// stored ciphertext.
func (pl *planner) writeOp(set, n string, w *wanted) platform.Op {
	l := pl.l
	return &WriteOp{Name: n, Dir: setDir(set), Decryption: Decryption{Cipher: l.Store.FilePath(l.To, StoreRoot, storeRel(n)), Hash: w.rec.Hash,
		Identities: pl.ids, UID: w.uid, GID: w.gid, Mode: w.rec.Mode, ids: pl.cliIDs}}
}

// planSwap plans the hidden changes of the set, when it is written anew
// or the last secret went: the new set made (its mount, its folder),
// /run/gocfg/secrets swapped to it (or removed) once every secret is
// written, and the units restarted or reloaded after the flip.
func (pl *planner) planSwap(sp *setPlan) {
	if !sp.rewrite && !(len(pl.want) == 0 && pl.liveTarget != "") {
		return
	}
	deps := sp.deps
	swap := &SwapOp{Link: liveLink, Prev: pl.liveTarget, Sets: setsDir}
	if sp.set != "" {
		swap.Target = setTarget(sp.set)
		pl.part.Changes = append(pl.part.Changes, platform.Change{ID: setID, Kind: "secrets", Action: platform.Update, Hidden: true,
			Ops: []platform.Op{&MountOp{Dir: setsDir, Offline: pl.l.Offline}, &SetOp{Dir: setDir(sp.set), Target: swap.Target}}})
	} else {
		deps = nil
	}
	if pl.liveSet != "" && pl.liveSet != sp.set {
		swap.Old = setDir(pl.liveSet)
	}
	pl.part.Changes = append(pl.part.Changes, platform.Change{ID: swapID, Kind: "secrets", Action: platform.Update, Hidden: true,
		Deps: append(deps, sp.changed...), Ops: append(sp.swapOps, swap)})
	for _, path := range slices.Sorted(maps.Keys(sp.written)) {
		pl.part.Write(path, sp.written[path])
	}
	pl.planUnits(sp.restart, sp.reload)
}

// planUnits restarts or reloads, after the flip, the units of the
// secrets that changed (restarted only, when both), on a live machine.
func (pl *planner) planUnits(restart, reload []string) {
	restart, reload = uniq(restart), uniq(reload)
	reload = slices.DeleteFunc(reload, func(u string) bool { return slices.Contains(restart, u) })
	if len(restart)+len(reload) > 0 && !pl.l.Offline {
		pl.part.Changes = append(pl.part.Changes, platform.Change{ID: unitsID, Kind: "secrets", Action: platform.Update, Hidden: true, AfterFlip: true,
			Ops: []platform.Op{&UnitsOp{Restart: restart, Reload: reload}}})
	}
}

// decrypting says whether this plan decrypts: on a live machine, and
// under --root only with --secrets (and identities given on the command
// line).
func (pl *planner) decrypting() bool { return !pl.l.Offline || pl.l.Switch.Secrets }

// newSet names the folder of a new set. From a generation's records
// (rollback, the boot unit) it is the set they name, so that the
// records stay true; from the configuration, the new generation's
// number, made unique when a folder of that name is there already.
func (pl *planner) newSet() string {
	if pl.p.Records != nil && pl.p.Records.Set != "" {
		return pl.p.Records.Set
	}
	set := strconv.Itoa(pl.l.To)
	if _, err := pl.l.Reader().Lstat(setDir(set)); err == nil || set == pl.liveSet {
		set += "-" + strconv.FormatInt(pl.l.Clock().UnixNano(), 36)
	}
	return set
}

// linkOps are the ops the secret's path needs: its link made, moved
// or put back. Something gocfg did not make in the way is a conflict.
func (pl *planner) linkOps(n string, w *wanted, a *Record) []platform.Op {
	// Made with or without keys (--root without --secrets): a link needs
	// none, and points at where the boot unit writes the secret.
	target := LivePath(n)
	var ops []platform.Op
	if a != nil && a.Path != "" && a.Path != w.rec.Path {
		ops = append(ops, &UnlinkOp{Path: a.Path, Target: target, Confined: pl.confineWay(a.Path)})
	}
	p := w.rec.Path
	if p == "" {
		return ops
	}
	confined := pl.confineWay(p)
	sys := pl.l.Reader()
	if cur, err := sys.Readlink(p); err == nil && cur == target {
		return ops
	}
	_, err := sys.Lstat(p)
	switch {
	case errors.Is(err, system.ErrOutside):
		pl.linkConflict(platform.Conflict{ID: SecretID(n), Path: p,
			Problem:  "a folder on the way that another account may change leads outside it: gocfg does not make secret " + n + "'s link there",
			Remedies: []platform.Remedy{platform.Fix(system.OutsideHint), platform.Reconfigure("choose another path in " + option(n, "path"))}})
		return ops
	case !errors.Is(err, fs.ErrNotExist):
		pl.linkConflict(platform.Conflict{ID: SecretID(n), Path: p,
			Problem:  "is in the way of secret " + n + "'s link to " + target + ", and gocfg did not make it",
			Remedies: []platform.Remedy{platform.Fix("move it away"), platform.Reconfigure("choose another path in " + option(n, "path"))}})
		return ops
	}
	return append(ops, &LinkOp{Path: p, Target: target, Made: missingDirs(sys, p), Confined: confined})
}

// confineWay puts the first folder on the way to a system secret's path
// that an account other than root may change (a service's /var/lib/app
// or /srv/app, /tmp) behind the privilege boundary (files.ConfineWay,
// DESIGN.md §7): that account cannot swap a folder below it for a link
// and have root make the secret's link, or folders, where the link
// leads. An ordinary user's run needs no boundary. It returns the
// folder confined ("" when none), which the ops confine again.
func (pl *planner) confineWay(p string) string {
	if !pl.l.Privileged {
		return ""
	}
	if pl.way == nil {
		pl.way = map[string]bool{}
	}
	return files.ConfineWay(pl.l.Sys, "/", p, pl.way)
}

// check decrypts a new or changed secret at plan time, so that a wrong
// identity or a damaged file fails the plan before anything changes.
// The plaintext is dropped at once.
func (pl *planner) check(n string, w *wanted, a *Record) error {
	if pl.l.Switch.ReportOnly || (a != nil && a.Hash == w.rec.Hash && !a.Unwritten) {
		return nil
	}
	return pl.decrypts(n, w)
}

// linkConflict stops the plan at c, a secret's link that cannot be
// made; but the boot unit (Switch.BestEffort) leaves that link out, with
// a warning, and writes every secret (tester X: an account that owns the
// folder of one secret's path put a file, or a link, where the link
// goes; the unit then wrote no secret at all, and every service ordered
// after it started without its own).
func (pl *planner) linkConflict(c platform.Conflict) {
	if pl.l.Switch.BestEffort {
		pl.part.Warnings = append(pl.part.Warnings, fmt.Sprintf("%s: %s: the link is not made; the secrets are written", c.Path, c.Problem))
		return
	}
	pl.part.Conflicts = append(pl.part.Conflicts, c)
}

// writable says whether secret n is written: always, but for the boot
// unit (Switch.BestEffort), which leaves one that does not decrypt out,
// with a warning, and writes the others, as agenix does. Before, one
// secret that did not decrypt failed the unit's switch, and no secret
// was written at boot.
func (pl *planner) writable(n string, w *wanted) bool {
	if !pl.l.Switch.BestEffort {
		return true
	}
	if err := pl.decrypts(n, w); err != nil {
		pl.part.Warnings = append(pl.part.Warnings, fmt.Sprintf("%v: not written; the other secrets are", err))
		return false
	}
	return true
}

// decrypts says why secret n's new ciphertext does not decrypt with the
// plan's identities (nil: it does).
func (pl *planner) decrypts(n string, w *wanted) error {
	ct := w.cipher
	if ct == nil {
		var err error
		if ct, err = pl.l.Reader().ReadFile(pl.l.Store.FilePath(pl.l.To, StoreRoot, storeRel(n))); err != nil {
			return fmt.Errorf("secret %s: read the stored ciphertext: %w", n, err)
		}
	}
	ids, err := pl.identities()
	if err != nil {
		return pl.fail(n, "age.identity_paths", err)
	}
	plain, err := decrypt(ct, w.rec.Hash, ids)
	clear(plain)
	if err != nil {
		return pl.fail(n, option(n, "file"), err)
	}
	return nil
}

// fail is a decryption failure: a ConfigError at the option from the
// configuration, a plain error from a generation.
func (pl *planner) fail(n, opt string, err error) error {
	if pl.p.Config != nil {
		return &platform.ConfigError{Option: opt, Msg: "secret " + n + ": " + err.Error(), Hint: decryptHint(err, "age.identity_paths")}
	}
	return fmt.Errorf("secret %s: %w", n, err)
}

// decryptHint says what to do about a failed decryption.
func decryptHint(err error, paths string) string {
	var corrupt *agesecrets.CorruptError
	switch {
	case strings.Contains(err.Error(), "protected by a passphrase"):
		return "a switch asks for no passphrase, even on a terminal: list an unprotected key (readable by root only) in " + paths
	case errors.Is(err, errNoIdentity):
		return "put the key at one of those paths (sshd's install makes /etc/ssh/ssh_host_ed25519_key), or list the file that holds it in " + paths
	case errors.As(err, &corrupt):
		return "the file was damaged or changed since it was encrypted: restore it from your repository's history (git checkout -- FILE), or write it again with gocfg secrets edit"
	case errors.Is(err, system.ErrOutside):
		// Tester AE: her ~/.ssh a link out of her home read as a key
		// the file was not encrypted to.
		return "a folder on the way to the key is a symlink that leads outside: " + system.OutsideHint + "; or list a key at another path in " + paths
	}
	return "encrypt the file to a recipient whose identity is in " + paths + " (gocfg secrets keyscan HOST prints a host's; add it to the file's recipients and run gocfg secrets rekey)"
}

// contents stores every desired secret's ciphertext in the new
// generation (from the configuration only: a rollback writes none, but
// may give users' secrets roots of their own, splitRoots).
func (pl *planner) contents(recs *Records) {
	if pl.rollback() {
		pl.splitRoots(recs)
		return
	}
	if pl.p.Config == nil || pl.l.Store == nil {
		return
	}
	l := pl.l
	var entries []generations.Entry
	roots := map[string]bool{}
	// have is where the current generation stores the ciphertext.
	add := func(root, rel string, w *wanted, a *Record, have func() string) {
		ct := w.cipher
		e := generations.Entry{Root: root, Rel: rel, Hash: hexOf(w.rec.Hash),
			Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(ct)), nil }}
		if a != nil && a.Hash == w.rec.Hash && l.Current > 0 {
			e.Have = have()
		}
		entries, roots[root] = append(entries, e), true
	}
	for _, n := range recs.names() {
		if w := pl.want[n]; w != nil && w.cipher != nil {
			add(StoreRoot, storeRel(n), w, pl.applied.Secrets[n], func() string { return l.Store.FilePath(l.Current, StoreRoot, storeRel(n)) })
		}
	}
	for _, user := range slices.Sorted(maps.Keys(recs.Homes)) {
		hw := pl.homes[user]
		if pl.carried[user] {
			if es := pl.carriedContents(user, recs.Homes[user]); len(es) > 0 {
				entries, roots[HomeStoreRoot(user)] = append(entries, es...), true
			}
			continue
		}
		if hw == nil {
			continue
		}
		var ha *HomeRecords
		if pl.applied.Homes != nil {
			ha = pl.applied.Homes[user]
		}
		for _, n := range slices.Sorted(maps.Keys(hw.secrets)) {
			w := hw.secrets[n]
			if w.cipher == nil {
				continue
			}
			var a *Record
			if ha != nil {
				a = ha.Secrets[n]
			}
			add(HomeStoreRoot(user), n, w, a, func() string { return pl.homeCipher(l.Current, user, n) })
		}
	}
	if len(entries) == 0 {
		return
	}
	area := pl.storeArea()
	pl.part.Areas = map[string]generations.Area{}
	for root := range roots {
		pl.part.Areas[root] = area
	}
	pl.part.Contents = func() []generations.Entry { return entries }
}

// userDeps are the account changes a secret waits for.
func userDeps(r *Record) []string {
	d := []string{users.UserID(r.Owner)}
	if r.Group != "" {
		d = append(d, users.GroupID(r.Group))
	}
	return d
}

// describe shows a secret in a plan: its ciphertext's hash and
// metadata, never content.
func describe(r *Record) string {
	g := r.Group
	if g == "" {
		g = "(primary group)"
	}
	s := fmt.Sprintf("ciphertext %s, %s:%s %s", short(r.Hash), r.Owner, g, r.Mode)
	if r.Path != "" {
		s += ", " + r.Path + " → " + liveLink + "/…"
	}
	return s
}

// createOrUpdate makes ch create the secret r when none was applied (a
// is nil; show describes r), or update it from a when r differs; false
// when r is the same as a (ch is left as it was).
func createOrUpdate(ch *platform.Change, a, r *Record, show func(*Record) string) bool {
	switch {
	case a == nil:
		ch.Action, ch.After = platform.Create, show(r)
	case !r.same(a):
		ch.Action = platform.Update
		ch.Before, ch.After = differs(a, r)
	default:
		return false
	}
	return true
}

// differs shows what differs between two records of a secret.
func differs(a, b *Record) (before, after string) {
	var bs, as []string
	add := func(name, x, y string) {
		if x != y {
			bs, as = append(bs, name+" "+orNone(x)), append(as, name+" "+orNone(y))
		}
	}
	add("ciphertext", short(a.Hash), short(b.Hash))
	add("owner", a.Owner, b.Owner)
	add("group", a.Group, b.Group)
	add("mode", a.Mode, b.Mode)
	add("path", a.Path, b.Path)
	return strings.Join(bs, ", "), strings.Join(as, ", ")
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func uniq(ss []string) []string {
	slices.Sort(ss)
	return slices.Compact(ss)
}
