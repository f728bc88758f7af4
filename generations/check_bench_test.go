package generations

import (
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// BenchmarkCheckFiles measures what every plan of an ordinary user adds:
// CheckFiles of 10,000 stored files whose signatures are all recorded,
// in a new Store each time (the cache is read from the disk, as a new
// process reads it).
func BenchmarkCheckFiles(b *testing.B) {
	dir := tempState(b)
	es := nested(100, 10, 10, plain)
	if err := New(system.NewReal(), dir).Write(gen(1, es)); err != nil {
		b.Fatal(err)
	}
	stored := make([]StoredFile, len(es))
	for i, e := range es {
		stored[i] = StoredFile{Gen: 1, Root: e.Root, Rel: e.Rel, Hash: e.Hash, Exec: e.Exec}
	}
	b.ResetTimer()
	for b.Loop() {
		if got := New(system.NewReal(), dir).CheckFiles(stored); len(got) > 0 {
			b.Fatal(got)
		}
	}
}
