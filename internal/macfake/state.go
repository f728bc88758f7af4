package macfake

// loadOr reads section's state over fresh, what a fresh fake has.
func loadOr[T any](f *Fake, section string, fresh T) (T, error) {
	err := f.Load(section, &fresh)
	return fresh, err
}

// withLock calls read with the fake's lock held, as the accessors of its
// state do.
func withLock[T any](f *Fake, read func() (T, error)) (T, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return read()
}
