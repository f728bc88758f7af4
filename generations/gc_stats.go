package generations

// GCStats says what Store.GC removed.
type GCStats struct {
	// Objects is how many tree objects were removed.
	Objects int
	// Bytes approximates the space freed: the sizes of the removed
	// regular files that had no other hard link.
	Bytes int64
}
