package slab

// chunk is how many values one array holds.
const chunk = 256

// A Slab hands out zero values of T from arrays of chunk values. The
// zero Slab is ready to use. It is not safe for concurrent use.
type Slab[T any] struct {
	free []T
}

// New returns a pointer to a zero T that no other call returned.
func (s *Slab[T]) New() *T {
	if len(s.free) == 0 {
		s.free = make([]T, chunk)
	}
	p := &s.free[0]
	s.free = s.free[1:]
	return p
}
