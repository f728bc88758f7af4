package hugeheap

import "sync"

var once sync.Once

// Reserve makes the next n bytes the heap grows by eligible for
// transparent huge pages, once per process (see the package
// documentation for when it does nothing). It returns whether it did;
// later calls return false.
func Reserve(n int) bool {
	done := false
	once.Do(func() { done = reserved(n) })
	return done
}
