package generations

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// BenchmarkWrite measures Write with 10,000 files in 1,102 folders
// (home/alice/.config/app_<0-99>/sub_<0-9>/file_<0-9>, plus .profile):
// "first" writes them into an empty store, "one-changed" writes a
// generation that differs from the previous one by one file, with Have
// set for the others as a switch sets it.
func BenchmarkWrite(b *testing.B) {
	const root = "home/alice"
	files := nested(100, 10, 10, plain)

	b.Run("first", func(b *testing.B) {
		base := filepath.Dir(tempState(b))
		real := system.NewReal()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			dir := filepath.Join(base, fmt.Sprint(i))
			b.StartTimer()
			if err := New(real, dir).Write(gen(1, files)); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if err := real.RemoveAll(dir); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
	})

	b.Run("one-changed", func(b *testing.B) {
		dir := tempState(b)
		s := New(system.NewReal(), dir)
		if err := s.Write(gen(1, files)); err != nil {
			b.Fatal(err)
		}
		changed := ".config/app_42/sub_7/file_3"
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			n := i + 2
			es := nested(100, 10, 10, func(rel string) string {
				if rel == changed {
					return fmt.Sprintf("version %d\n", n)
				}
				return plain(rel)
			})
			for j := range es {
				if es[j].Rel != changed {
					es[j].Have = s.FilePath(n-1, root, es[j].Rel)
				}
			}
			objs := len(objects(b, dir, "home-alice"))
			b.StartTimer()
			if err := s.Write(gen(n, es)); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if d := len(objects(b, dir, "home-alice")) - objs; d != 4 {
				b.Fatalf("generation %d wrote %d objects, want 4", n, d)
			}
			if i%50 == 49 { // keep the store small: drop old generations
				for m := n - 49; m < n; m++ {
					_ = s.Delete(m)
				}
				if _, err := s.GC(); err != nil {
					b.Fatal(err)
				}
			}
			b.StartTimer()
		}
		if _, err := os.Stat(s.Path(b.N + 1)); err != nil {
			b.Fatal(err)
		}
	})
}
