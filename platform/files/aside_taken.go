package files

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// checkAsides finds the changes whose op moves a path aside to a name
// that something already holds. The name (<path>.gocfg-<generation>~)
// is predictable, so a user could put a file there in their own home;
// the op would then refuse at the switch and the whole switch would be
// undone, for every user. Found at plan time, the op takes another name
// that is free (freeAside); when none is, it is a path in the way like
// any other: that home is held (DESIGN.md §7), /etc fails the plan.
// gocfg's own leftover of a removal (the managed content or link, left
// by a switch that could not undo the op) is not in the way:
// RemoveOp.Apply removes it.
func (pl *planner) checkAsides() {
	sys := pl.l.Sys
	for _, ch := range pl.part.Changes {
		for _, op := range ch.Ops {
			var p, aside string
			switch o := op.(type) {
			case *RemoveOp:
				p, aside = o.Path, o.Aside
			case *LinkOp:
				p, aside = o.Path, asideName(o.Aside)
			case *WriteOp:
				p, aside = o.Path, asideName(o.Aside)
			}
			if aside == "" {
				continue
			}
			if _, err := sys.Lstat(aside); err != nil {
				continue
			}
			if o, ok := op.(*RemoveOp); ok && o.isManagedAt(sys, aside) {
				continue
			}
			// Another name, free now: what holds this one (the copy an
			// undone switch kept beside an edit, tester H; a file of
			// the user's) stays as it is, and does not hold her home.
			if other := freeAside(sys, aside); other != "" {
				switch o := op.(type) {
				case *RemoveOp:
					o.Aside = other
				case *LinkOp:
					o.Aside.Path = other
				case *WriteOp:
					o.Aside.Path = other
				}
				continue
			}
			pl.conflict(ch.ID, aside, fmt.Sprintf("gocfg moves %s to this name while it switches, and something is there already", p),
				platform.Fix("move "+aside+" away"))
		}
	}
}

// asideName is the path a (not kept) Aside moves to, "" for none.
func asideName(a *Aside) string {
	if a == nil || a.Keep {
		return ""
	}
	return a.Path
}

// asideTries is how many other names freeAside tries.
const asideTries = 9

// freeAside returns a name beside aside (<path>.gocfg-N~) that nothing
// holds: <path>.gocfg-N.1~ to .9~; "" when all are taken.
func freeAside(sys system.System, aside string) string {
	base := strings.TrimSuffix(aside, "~")
	for k := 1; k <= asideTries; k++ {
		other := base + "." + strconv.Itoa(k) + "~"
		if _, err := sys.Lstat(other); errors.Is(err, fs.ErrNotExist) {
			return other
		}
	}
	return ""
}
