package files

import (
	"context"
	"fmt"
	"strings"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/packages"
	"github.com/gocfg/gocfg/platform/system"
)

// A plan that installs packages (Facts.Installs) writes the /etc files
// after them (issue 14): a package's postinst then meets the machine's
// own files, not gocfg's links (locales' `sed -i` on /etc/locale.gen),
// and the programs a check runs (visudo) are there. See doc.go, "Files
// and the packages of the same switch".

// appearedSuffix names where a file with force = true keeps what a
// package of the same switch made at its path, absent when the plan was
// made: <path>.gocfg-orig, recorded as the file's backup, so it is put
// back when gocfg lets go of the path (or a rollback returns to before).
const appearedSuffix = ".gocfg-orig"

// appearedAside is how f's op takes over its /etc path, absent when the
// plan looked, if a package the plan installs makes it first: set aside
// and kept, as force = true does with what the plan sees. Nil (the path
// must still be free, compare and swap) for a home's file, without
// force, without packages to install, or when the keeping place is
// taken.
func (pl *planner) appearedAside(f, a *File, lv *live) *Aside {
	l := pl.l
	if !l.installs || userOf(f.Root) != "" || !f.Force || lv.kind != absent || f.Folder {
		return nil
	}
	kept := f.Path + appearedSuffix
	if a != nil && a.Backup != "" && a.Backup != kept {
		return nil // a backup of its own is what goes back
	}
	if _, err := l.Sys.Lstat(kept); err == nil {
		return nil
	}
	if f.Backup == "" {
		f.Backup = kept
	}
	return &Aside{Path: kept, Keep: true, IfAppeared: true}
}

// afterInstalls makes the /etc changes wait for packages:install when the
// plan installs packages, and runs the checks deferred to the switch
// (their program comes with a package) right before their file's write.
func (pl *planner) afterInstalls(deferred []*File) {
	l := pl.l
	if !l.installs {
		return
	}
	byID := map[string]*platform.Change{}
	for i := range pl.part.Changes {
		ch := &pl.part.Changes[i]
		if !strings.HasPrefix(ch.ID, "file:") && !strings.HasPrefix(ch.ID, "dir:") {
			continue
		}
		if rootOfID(ch.ID) != etcRoot || ch.Action == platform.Delete || ch.Action == platform.Restore {
			continue
		}
		ch.Deps = append(ch.Deps, packages.InstallID)
		byID[ch.ID] = ch
		for _, op := range ch.Ops {
			if as := asideOf(op); as != nil && as.IfAppeared {
				ch.Note = joinNote(ch.Note, "what a package makes there first is kept as "+as.Path+" and put back when gocfg lets go")
			}
		}
	}
	for _, f := range deferred {
		id := fileID(f.Root, f.Rel)
		ch := byID[id]
		if ch == nil || len(ch.Ops) == 0 {
			pl.part.Warnings = append(pl.part.Warnings, fmt.Sprintf("%s: its check `%s` could not run (command not found) and the content is not written by this switch: not checked", f.Path, f.check))
			continue
		}
		op := &CheckOp{Path: f.Path, Check: f.check, Object: l.Store.FilePath(l.To, f.Root, f.Rel), Hash: f.Hash}
		ch.Ops = append([]platform.Op{op}, ch.Ops...)
		ch.Note = joinNote(ch.Note, fmt.Sprintf("its check `%s` runs at the switch, once the packages are installed", f.check))
	}
}

func asideOf(op platform.Op) *Aside {
	switch o := op.(type) {
	case *WriteOp:
		return o.Aside
	case *LinkOp:
		return o.Aside
	}
	return nil
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// A CheckOp runs environment.etc.<path>.check on the content about to be
// written to Path (Object, in the new generation's store, with Hash), at
// the switch: the check whose program a package of the same switch
// installs. A content it refuses fails the switch. It changes nothing.
type CheckOp struct {
	Path   string `json:"path"`
	Check  string `json:"check"`
	Object string `json:"object"`
	Hash   string `json:"hash"`
}

// Describe says what the op does.
func (o *CheckOp) Describe() string { return "check " + o.Path }

// Apply runs the check.
func (o *CheckOp) Apply(ctx context.Context, sys system.System) error {
	data, err := sys.ReadFile(o.Object)
	if err != nil {
		return err
	}
	if o.Hash != "" && hashBytes(data) != o.Hash {
		return fmt.Errorf("%s: stored content has sha256 %s, not %s as recorded; not checking it for %s", o.Object, hashBytes(data), o.Hash, o.Path)
	}
	out, err := runCheck(ctx, sys, o.Check, data)
	if err == nil {
		return nil
	}
	msg := fmt.Sprintf("the new content of %s fails its check %s (run at the switch, after the packages were installed): %v", o.Path, checkName(o.Check), err)
	return fmt.Errorf("%s%s", msg, checkOutput(out, data))
}

// Undo has nothing to undo.
func (o *CheckOp) Undo(context.Context, system.System) error { return nil }
