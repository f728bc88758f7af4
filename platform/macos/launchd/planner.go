package launchd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/files"
	"github.com/gocfg/gocfg/platform/managed"
	"github.com/gocfg/gocfg/platform/packages"
	"github.com/gocfg/gocfg/platform/users"
)

// planner holds one plan's working state.
type planner struct {
	p       *Provider
	ctx     context.Context
	part    *platform.Part
	users   map[string]*account
	noted   map[string]bool
	records []*Record
	// released are the paths earlier providers let go of in this plan
	// (platform.Facts.Released: a home file that became this job's
	// plist, and the folders the files provider made for it).
	released map[string]string
	// hold names the users whose agents have a plist in the way: their
	// agents are held (held.go).
	hold map[string]bool
}

// allowed says whether this run may manage a job, noting once why not.
func (pl *planner) allowed(kind, user string) bool {
	l := pl.p.Machine
	if allowed(l, kind, user) {
		return true
	}
	if kind == KindDaemon {
		pl.note("macos.launchd.daemons: loading daemons needs root; skipped (run gocfg with sudo)")
	} else {
		pl.note(fmt.Sprintf("macos.launchd.agents: the agents of %s can be managed only by %s or root; skipped", user, user))
	}
	return false
}

func (pl *planner) note(msg string) {
	if !pl.noted[msg] {
		pl.noted[msg] = true
		pl.part.Notes = append(pl.part.Notes, msg)
	}
}

func (pl *planner) run(want []*Record, applied *Records) error {
	ids, byID, appliedByID := platform.ByID(want, applied.Jobs)
	for _, a := range applied.Jobs {
		if !pl.allowed(a.Kind, a.User) {
			// Left as it is; the next run that may manage it will.
			pl.records = append(pl.records, a)
		}
	}
	kept := pl.holdApplied(applied.Jobs) // held.go
	for _, id := range ids {
		d, a := byID[id], appliedByID[id]
		if d == nil && !pl.allowed(a.Kind, a.User) {
			continue // kept as it is above
		}
		if pl.heldUser(d) || pl.heldUser(a) {
			continue // kept as it is above
		}
		if err := pl.planJob(d, a); err != nil {
			return err
		}
	}
	pl.contents(want, appliedByID, kept)
	sort.Slice(pl.records, func(i, j int) bool { return pl.records[i].ID() < pl.records[j].ID() })
	if pl.records == nil {
		pl.records = []*Record{}
	}
	pl.part.Records = &Records{Jobs: pl.records}
	return nil
}

// reach says whether launchctl may run for r in this plan, and in which
// domain.
func (pl *planner) reach(r *Record) (string, bool) {
	l := pl.p.Machine
	switch {
	case l.Offline:
		return "", false
	case r.Kind == KindDaemon:
		return "system", true
	}
	a, err := pl.account(r.User)
	if err != nil {
		// A user who is gone has nothing loaded.
		return "", false
	}
	return "gui/" + strconv.Itoa(a.user.UID), a.session
}

// A jobPlan is one job's change in the making.
type jobPlan struct {
	r      *Record
	domain string
	// reach: launchctl may run for the job; isLoaded: it is loaded now.
	reach, isLoaded bool
	ch              platform.Change
	unloads, loads  bool
	file            string // what happens to the file, for the plan line
	// seen is what the plan saw at the plist's path (nil: nothing), and
	// live what it read there.
	seen *files.Seen
	live []byte
}

// unload boots the job out if it is loaded.
func (jp *jobPlan) unload() {
	if jp.isLoaded {
		jp.ch.Ops = append(jp.ch.Ops, &BootoutOp{Domain: jp.domain, Label: jp.r.Label, Path: jp.r.Path})
		jp.unloads = true
	}
}

// load bootstraps the job where launchctl may run.
func (jp *jobPlan) load() {
	if jp.reach {
		jp.ch.Ops = append(jp.ch.Ops, &BootstrapOp{Domain: jp.domain, Label: jp.r.Label, Path: jp.r.Path})
		jp.loads = true
	}
}

// planJob decides what happens to one job: d is desired (nil: dropped),
// a applied (nil: new). What happens to its plist is the decision shared
// with managed files (package managed); launchctl is this provider's.
func (pl *planner) planJob(d, a *Record) error {
	l := pl.p.Machine
	r := d
	if r == nil {
		r = a
	}
	// Looked at before it is read: what a switch replaces must still be
	// what this plan saw (files.Seen). A path another provider removes
	// its file from first (a home file that became this job's plist) is
	// this job's to make, after that change.
	releasedBy, released := pl.released[r.Path]
	handed := released && d != nil && a == nil
	live, seen, liveThere, err := files.ReadManaged(l.Sys, r.Path, handed)
	if err != nil {
		return err
	}
	liveHash := ""
	if liveThere {
		liveHash = hashOf(live)
	}
	jp := &jobPlan{r: r, seen: seen, live: live, ch: platform.Change{ID: r.ID(), Kind: "launchd", Deps: []string{packages.InstallID}}}
	if handed {
		jp.ch.Deps = append(jp.ch.Deps, releasedBy)
	}
	jp.domain, jp.reach = pl.reach(r)
	if jp.reach {
		if jp.isLoaded, err = loaded(pl.ctx, l.Reader(), jp.domain, r.Label); err != nil {
			return err
		}
	}
	if r.Kind == KindAgent {
		jp.ch.Deps = append(jp.ch.Deps, users.UserID(r.User), platform.HomeDirID(r.User))
	}
	if d == nil {
		pl.planDropped(jp, a, liveThere, liveHash)
		return nil
	}
	in := managed.Input{Wanted: true, Applied: a != nil, Live: managed.OfContent(liveThere, liveHash == d.Hash, a != nil && liveHash == a.Hash)}
	if done, err := pl.planPlist(jp, d, a, managed.Decide(in)); err != nil || done {
		return err
	}
	rec := *d
	rec.plist = nil
	pl.records = append(pl.records, &rec)
	ch := jp.ch
	if ch.Action == "" {
		return nil
	}
	ch.After = describe(jp.unloads, jp.loads, jp.file, false)
	if !jp.reach {
		switch {
		case l.Offline:
			ch.Note = joinNote(ch.Note, "not loaded under --root")
		case d.Kind == KindAgent:
			ch.Note = joinNote(ch.Note, "loads at "+d.User+"'s next login")
		}
	}
	pl.part.Changes = append(pl.part.Changes, ch)
	return nil
}

// planPlist carries out the decision for a desired job's plist, loading
// and unloading the job around it; done means the job's change is
// complete (a conflict).
func (pl *planner) planPlist(jp *jobPlan, d, a *Record, dec managed.Decision) (done bool, err error) {
	ch := &jp.ch
	switch dec.Action {
	case managed.Adopt:
		ch.Action, ch.Note = platform.Update, "the same plist is already there: adopted"
		if !jp.isLoaded {
			jp.load()
		}
	case managed.Keep:
		switch {
		case a.Hash != d.Hash:
			// Written by hand already; what launchd loaded may be the
			// previous plist, so the job is loaded again.
			ch.Action, ch.Note = platform.Update, "the plist is already as desired"
			jp.unload()
			jp.load()
		case jp.reach && !jp.isLoaded:
			ch.Action, ch.Drift = platform.Update, "not loaded (booted out by hand?)"
			jp.load()
		}
	case managed.Create:
		ch.Action, jp.file = platform.Create, "plist"
		if dec.Why == managed.RemovedByHand {
			ch.Drift = "plist removed by hand"
		}
		// A job still loaded from a plist that is gone is unloaded first.
		jp.unload()
		if err := pl.dirOps(ch, d); err != nil {
			return true, err
		}
		ch.Ops = append(ch.Ops, d.stored().WriteOp(pl.p.Machine.Store, pl.p.Machine.To))
		jp.load()
	case managed.Update:
		ch.Action, ch.Before, jp.file = platform.Update, "plist "+short(a.Hash), "plist changed"
		if d.plist != nil {
			// What changes in it, as for a file (a value that looks
			// secret is not shown).
			ch.Diff = files.ContentDiff(jp.live, d.plist)
		}
		jp.unload()
		ch.Ops = append(ch.Ops, d.stored().PutOp(pl.p.Machine.Store, pl.p.Machine.To, jp.seen))
		jp.load()
	default:
		what := "a plist gocfg did not write is in the way"
		if dec.Why == managed.ChangedByHand {
			what = "gocfg's plist was changed by hand"
		}
		pl.part.Conflicts = append(pl.part.Conflicts, platform.Conflict{ID: ch.ID, Path: d.Path, Problem: what, Option: d.option(),
			Remedies: []platform.Remedy{platform.Fix("move it away (unload it first: launchctl bootout " + d.Domain() + "/" + d.Label + ") or drop " + d.option() + " from the configuration, and run gocfg again")}})
		return true, nil
	}
	return false, nil
}

// planDropped plans a job no longer wanted: unloaded, and its plist
// removed while it is still gocfg's (left alone, and no longer managed,
// when it was changed by hand).
func (pl *planner) planDropped(jp *jobPlan, a *Record, liveThere bool, liveHash string) {
	ch := &jp.ch
	switch managed.Decide(managed.Input{Applied: true, Live: managed.OfContent(liveThere, false, liveHash == a.Hash)}).Action {
	case managed.Remove:
		ch.Action, ch.Before, jp.file = platform.Delete, "plist "+short(a.Hash), "remove the plist"
		jp.unload()
		l := pl.p.Machine
		s := a.stored()
		if a.Kind == KindAgent && s.UID >= 0 {
			// An undo writes it back for the user's uid now, not the
			// recorded one (see fromRecords).
			if acct, err := pl.account(a.User); err == nil && acct.fileUID >= 0 {
				s.UID, s.GID = acct.fileUID, acct.fileGID
			}
		}
		ch.Ops = append(ch.Ops, s.RemoveOp(l.Store, l.Current, l.To))
		// A home file there (the plist kept as a dotfile) is made
		// after (platform/handover.go).
		pl.part.Release(a.Path, ch.ID)
	case managed.Gone:
		ch.Action, ch.Drift = platform.Delete, "plist already removed by hand"
		jp.unload()
	default:
		pl.part.Warnings = append(pl.part.Warnings, fmt.Sprintf("%s: changed by hand since gocfg wrote it; left alone (and loaded as it is) and no longer managed", a.Path))
		pl.part.Changes = append(pl.part.Changes, platform.Forget(ch.ID, "launchd"))
		return
	}
	ch.After = describe(jp.unloads, jp.loads, jp.file, true)
	pl.part.Changes = append(pl.part.Changes, *ch)
}

// describe is a change's plan line: what happens to the file and what
// launchctl does (first when the job is removed).
func describe(unloads, loads bool, file string, removal bool) string {
	job := ""
	switch {
	case unloads && loads:
		job = "reload"
	case unloads:
		job = "unload"
	case loads:
		job = "load"
	}
	parts := []string{file, job}
	if removal {
		parts = []string{job, file}
	}
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "; ")
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// short is a hash as plans show it.
func short(h string) string {
	if len(h) > 8 {
		return h[:8]
	}
	return h
}

// stored is the plist as the files provider's ops write it.
func (r *Record) stored() files.StoredFile {
	return files.StoredFile{Path: r.Path, Root: r.Root, Rel: r.Rel, Hash: r.Hash, Mode: 0o644, UID: r.FileUID, GID: r.FileGID}
}

// dirOps creates the missing folders above a plist: ~/Library/LaunchAgents
// is the user's (and so is ~/Library when gocfg makes it), other folders
// root's when gocfg runs as root. A home that is missing is made only
// offline, where the tree may be bare; on a live Mac it is an error.
func (pl *planner) dirOps(ch *platform.Change, d *Record) error {
	l := pl.p.Machine
	var missing []string
	for p := path.Dir(d.Path); p != "/" && p != "."; p = path.Dir(p) {
		if by, ok := pl.released[p]; ok {
			// Removed earlier in the plan (a folder the files
			// provider made for the home file this plist was): made
			// again after.
			missing = append(missing, p)
			ch.Deps = append(ch.Deps, by)
			continue
		}
		if _, err := l.Sys.Lstat(p); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: %w", p, err)
		}
		missing = append(missing, p)
	}
	home := ""
	if d.Kind == KindAgent {
		home = strings.TrimSuffix(strings.TrimSuffix(d.Path, "/"+agentsDir+"/"+d.Rel), "/")
		if !l.Offline {
			for _, m := range missing {
				if m == home {
					return &platform.ConfigError{Option: d.option(), Msg: fmt.Sprintf("the home folder %s of %s does not exist", home, d.User),
						Hint: "log in as " + d.User + " once (macOS makes the home), or create it"}
				}
			}
		}
	}
	rootID := -1
	if l.Privileged {
		rootID = 0
	}
	for i := len(missing) - 1; i >= 0; i-- {
		uid, gid := rootID, rootID
		if home != "" && (missing[i] == home || strings.HasPrefix(missing[i], home+"/")) {
			uid, gid = d.FileUID, d.FileGID
		}
		ch.Ops = append(ch.Ops, &files.MkdirOp{Path: missing[i], Mode: 0o755, UID: uid, GID: gid})
	}
	return nil
}
