package generations

// An object is a tree object to write: a folder of a files tree and the
// store area it goes to.
type object struct {
	area Area
	t    *tree
	// replace: the object exists but is damaged (see reuse.go); it is
	// written again under its name, and damage says how it was.
	replace bool
	damage  []string
}
