package platform

import (
	"errors"
	"io/fs"
	"strings"

	"github.com/gocfg/gocfg/platform/contentdiff"
	"github.com/gocfg/gocfg/platform/system"
)

// A Change is one line of a plan: what happens to one resource.
type Change struct {
	// ID is the resource's stable ID, e.g. "file:~alice/.zshrc".
	ID string `json:"id"`
	// Kind is the resource kind: "file", "dir", ...
	Kind   string `json:"kind"`
	Action Action `json:"action"`
	// Before and After describe the live state and the desired one, for
	// people ("link → …/current/files/home/alice/.zshrc", "content 1a2b3c4d").
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
	// Drift, when set, says how the live state differs from what the
	// current generation applied.
	Drift string `json:"drift,omitempty"`
	// Note is a remark shown with the change ("backup to ~/.zshrc.bak").
	Note string `json:"note,omitempty"`
	// Diff is what changes in a file's content (a unified diff, or why
	// it is not shown), printed under the change's line; nil when the
	// change is not to a file's content or cannot be compared.
	Diff *contentdiff.Diff `json:"diff,omitempty"`
	// After these IDs (when they change in the same plan); deletes run in
	// the reverse order.
	Deps []string `json:"-"`
	// Opposite is the ID of the change that does the reverse to the same
	// resources, when a resource kind keys its changes by what they do
	// rather than by the resource (packages: "packages:install" puts back
	// what "packages:remove" took): a switch interrupted after running
	// the opposite made this change's difference (Interrupted.Attribute).
	Opposite string `json:"-"`
	// Ops carry the change out, in order. A change without ops only updates
	// records or takes effect when `current` flips (a linked file's
	// content).
	Ops []Op `json:"-"`
	// Hooks run after `current` flipped (on_change commands).
	Hooks []Hook `json:"-"`
	// First changes run before every other change, removals included, so
	// their ops are undone last: a checkpoint whose Undo settles what the
	// undo of the later ops left (systemd: daemon-reload and the previous
	// units started again, once the previous unit files are back).
	First bool `json:"-"`
	// AfterFlip changes run after every other change and after `current`
	// has flipped to the new generation, inside the switch: the engine
	// flips with a journaled step (FlipOp) before their ops, and a
	// failure still undoes the switch and flips back. For what must see
	// the new generation's linked files: a service started or reloaded
	// reads the new /etc content, not the previous one.
	AfterFlip bool `json:"-"`
	// AfterDependents marks a removal that runs after every change that
	// depends on it, whatever its group: when one of them runs after the
	// removals (a creation or update, or an AfterFlip change), the
	// removal runs last, after the AfterFlip changes, and so do the
	// removals that must follow it (those it depends on). An account's
	// deletion: the jobs that stop her units and the end of her
	// lingering need her account and must run first; userdel refuses
	// while her manager runs. Without such a dependent, the removal runs
	// with the others.
	AfterDependents bool `json:"-"`
	// Hidden changes are machinery (a checkpoint, the daemon-reload and
	// job batch of a manager): applied, but not listed or counted; the
	// per-resource changes say what they do.
	Hidden bool `json:"-"`
}

// A Hook is a command run after a successful switch.
type Hook struct {
	// ID of the resource whose change triggers it.
	ID string `json:"id"`
	// Script is run with /bin/sh -c.
	Script string `json:"script"`
	// UID, GID run it as that user (-1: as gocfg).
	UID int `json:"uid"`
	GID int `json:"gid"`
	// Home is the user's home (HOME and working folder).
	Home string `json:"home"`
	// User is the home's user (USER and LOGNAME), "" for root's hooks.
	User string `json:"user,omitempty"`
}

// A Conflict is something on the machine that stops the switch, such as
// an unmanaged file where a managed one goes.
type Conflict struct {
	ID string `json:"id"`
	// Path is the machine path in the way.
	Path string `json:"path"`
	// Problem says what is wrong, for the line after the path.
	Problem string `json:"problem"`
	// Option is the configuration option at fault, when one is (the
	// entry that puts a file there, a held secret's identity_paths):
	// the conflict's error or warning points at its definition.
	Option string `json:"option,omitempty"`
	// Remedies say what the user can do.
	Remedies []Remedy `json:"remedies,omitempty"`
	// Held: the switch goes on without the resources of this conflict's
	// scope (a user's home), which are left as they are; the switch is
	// partial. A conflict that is not held refuses the whole switch.
	Held bool `json:"held,omitempty"`
}

// HeldConflict is the held conflict of a home's resources that a
// provider leaves as they are because of err (a user's manager out of
// reach, a secret's identity that cannot be read): err's text as the
// problem, its hint (a *ConfigError's) as the remedy. id names the home
// (HomeOf) and the kind of what is held.
//
// The problem does not name path again (the conflict is shown after its
// path): an *fs.PathError of path gives only its cause. A path that leads
// out of the home (system.ErrOutside) gets system.OutsideHint.
func HeldConflict(id, path string, err error) Conflict {
	c := Conflict{ID: id, Path: path, Problem: err.Error(), Held: true}
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == path && c.Problem == pe.Error() {
		c.Problem = pe.Err.Error()
	}
	// Several failures (errors.Join) on one line: the warning is one,
	// and a newline made it print as a quoted Go string (tester AX).
	// Only between them: a newline of her own, in a file name, is still
	// shown as one (reviewer R19: as "; " it could pass for another
	// failure).
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var parts []string
		for _, e := range j.Unwrap() {
			if e != nil {
				parts = append(parts, e.Error())
			}
		}
		c.Problem = strings.Join(parts, "; ")
	}
	var ce *ConfigError
	if errors.As(err, &ce) {
		c.Option = ce.Option
		if ce.Hint != "" {
			c.Remedies = []Remedy{Fix(ce.Hint)}
		}
	}
	switch {
	case len(c.Remedies) > 0:
	case errors.Is(err, system.ErrOutside):
		c.Remedies = []Remedy{Fix(system.OutsideHint)}
	case errors.Is(err, system.ErrLeased):
		c.Remedies = []Remedy{Fix(system.LeasedHint)}
	}
	return c
}

// Forget is a change that only drops a resource from the records: gocfg
// leaves it as it is on the machine and stops managing it (the warning
// says why). It has no ops and is not listed, but it makes the switch
// record a generation, so the next plan does not find the old record.
func Forget(id, kind string) Change {
	return Change{ID: id, Kind: kind, Action: Delete, Hidden: true, Note: "no longer managed"}
}

// AlreadySet plans a resource that is one value (a host name, a
// setting, a key mapping) found on the machine as its option wants it:
// ch is its change (ID, Kind, After: the wanted value), applied the
// value the last generation set, shown as Before (nil: gocfg did not
// manage it), and setByGocfg whether that value is the wanted one. The
// value is adopted, or "already set on the machine" when gocfg had set
// another one; when gocfg set this one there is no change. Its
// counterpart for a resource that goes is RestoreValue.
func AlreadySet(part *Part, ch Change, applied *string, setByGocfg bool) {
	switch {
	case applied == nil:
		ch.Note = "already as desired: adopted"
	case !setByGocfg:
		ch.Before, ch.Note = *applied, "already set on the machine"
	default:
		return
	}
	ch.Action = Update
	part.Changes = append(part.Changes, ch)
}

// RestoreValue plans what becomes of a resource that is one value (a
// host name, a setting, a key mapping) when its option goes: ch is the
// Restore change that puts back the value from before gocfg managed it
// (ID, Kind, Before: the live value, After: the value from before, Ops:
// what puts it back), what names the value in its note ("name", "value",
// "mapping"). The live value decides:
//
//   - the value from before (original): the change only says so, with
//     no op;
//   - the value gocfg set (set): ch;
//   - another one: it was changed by hand and is left alone, with the
//     warning byHand ("<option>: changed by hand to X since gocfg set
//     Y"), and forgotten.
func RestoreValue(part *Part, ch Change, what string, original, set bool, byHand string) {
	switch {
	case original:
		ch.After, ch.Note, ch.Ops = "", "already the "+what+" before gocfg managed it; no longer managed", nil
	case set:
		ch.Note = "the " + what + " before gocfg managed it"
	default:
		part.Warnings = append(part.Warnings, byHand+"; left alone and no longer managed")
		part.Changes = append(part.Changes, Forget(ch.ID, ch.Kind))
		return
	}
	part.Changes = append(part.Changes, ch)
}
