package keyboard

import "github.com/gocfg/gocfg/platform/system"

// A Layout is what the provider knows of the machine it plans for.
type Layout struct {
	// Sys runs hidutil --set (recorded under --dry-run); Query runs
	// hidutil --get even in a dry run; nil means Sys.
	Sys, Query system.System
	// Offline: --root DIR --os darwin: there is no HID system to ask.
	Offline bool
}

func (l *Layout) query() system.System {
	if l.Query != nil {
		return l.Query
	}
	return l.Sys
}
