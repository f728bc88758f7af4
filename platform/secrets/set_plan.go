package secrets

import "github.com/gocfg/gocfg/platform"

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
	// written are the paths of the secrets written with new content,
	// which hold it once the swap has run (platform.Facts.Written).
	written []string
}
