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

// Slices hands out copies of short slices carved from shared arrays,
// each with its capacity cut at its length (an append to one never
// writes into the next). A copy longer than a quarter of a chunk gets
// an array of its own.
type Slices[T any] struct {
	free []T
}

// Copy returns a copy of src; nil when src is empty.
func (s *Slices[T]) Copy(src []T) []T {
	n := len(src)
	switch {
	case n == 0:
		return nil
	case n > chunk/4:
		return append(make([]T, 0, n), src...)
	case n > len(s.free):
		s.free = make([]T, chunk)
	}
	out := s.free[:n:n]
	copy(out, src)
	s.free = s.free[n:]
	return out
}
