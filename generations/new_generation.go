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
}
