package platform

// An Action is what a change does to a resource.
type Action string

// The actions, in the order a plan lists them.
const (
	// Create makes a resource that is not on the machine.
	Create Action = "create"
	// Update changes a resource in place (content, target, mode), or adopts
	// one that already matches.
	Update Action = "update"
	// Delete removes a resource gocfg managed and no longer wants.
	Delete Action = "delete"
	// Restore removes a resource and puts back what was there before gocfg
	// managed it (a backup).
	Restore Action = "restore"
)

// Symbol is the plan's one-character mark for the action.
func (a Action) Symbol() string {
	switch a {
	case Create:
		return "+"
	case Update:
		return "~"
	case Delete, Restore:
		return "-"
	}
	return "?"
}
