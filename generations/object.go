package generations

// An object is a tree object to write: a folder of a files tree and the
// store area it goes to.
type object struct {
	area Area
	t    *tree
}
