package secrets

import (
	"io/fs"
	"strconv"

	"github.com/gocfg/gocfg/platform"
)

// setPlan is what the plan of the system secrets gathers, secret by
// secret, for the changes of the set they are written in (planSwap).
type setPlan struct {
	// set is the folder of the new set; "" when none is written.
	set string
	// rewrite says the set is written anew.
	rewrite bool
	// deps are the changes the swap waits for besides the secrets'
	// (the set's and the unchanged secrets' owners).
	deps []string
	// changed are the secrets' changes the swap waits for.
	changed []string
	// swapOps write the unchanged secrets into the new set, before the
	// swap.
	swapOps []platform.Op
	// restart and reload are the units of the secrets that changed.
	restart, reload []string
	// written are the secrets written with new content, or removed, by
	// their paths, which hold it (or are gone) once the swap has run
	// (platform.Facts.Written).
	written map[string]platform.Written
}

// write notes the paths of secret n (its live path, and its link when
// r has one) as written with new content, or removed (gone).
func (sp *setPlan) write(n string, r *Record, gone bool) {
	if sp.written == nil {
		sp.written = map[string]platform.Written{}
	}
	mode, _ := strconv.ParseUint(r.Mode, 8, 32)
	w := platform.Written{After: swapID, Owner: r.Owner, Mode: fs.FileMode(mode), Gone: gone}
	for _, p := range []string{LivePath(n), r.Path} {
		// A removed secret's path that another secret now has (a
		// secret renamed, its path kept) is written, not gone
		// (reviewer): the secrets are seen in name order.
		if prev, ok := sp.written[p]; p == "" || gone && ok && !prev.Gone {
			continue
		}
		sp.written[p] = w
	}
}
