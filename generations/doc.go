// Package generations will keep the numbered, immutable generations of a
// machine's configuration and flip `current` atomically after a
// successful apply (DESIGN.md §4).
//
// Not built yet: it arrives with `gocfg switch` and `gocfg rollback` (the
// issue after the module system). Nothing imports it today.
package generations
