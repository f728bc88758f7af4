package generations

// A NewGeneration is everything Store.Write needs to write a generation.
type NewGeneration struct {
	// Meta is stored as meta.json; Meta.Number is the generation written.
	Meta Meta
	// Config is the merged configuration, stored as config.json (0600).
	Config []byte
	// Resources is every resource as applied, stored as resources.json
	// (0600).
	Resources []byte
	// Files are the files of the generation's files tree, in any order.
	Files []Entry
	// Areas maps each files root ("etc", "home/alice") to the store area
	// its objects go to; every Entry.Root must have one.
	Areas map[string]Area
	// FilesOf, when not 0, is the generation whose files tree this one
	// has: each of its files roots points at the tree object that
	// generation's does. Files and Areas then name only roots it lacks,
	// which this one gets beside them (their objects are written as for
	// any generation; a root it has already is an error). A rollback
	// that cannot return to a generation as it was recorded writes such
	// a copy of it, with the records of what it applied (cmd/gocfg
	// rollback).
	FilesOf int
	// RootsFrom, with FilesOf, names files roots ("home/alice") whose
	// tree objects are another generation's, that root's number, instead
	// of FilesOf's (none when that generation has no such root): a
	// rollback that holds a user's home carries the current generation's
	// files for it (cmd/gocfg rollback, tester AE).
	RootsFrom map[string]int
}
