package evalcache_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/gocfg/gocfg/bench/modgen"
	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/modules/evalcache"
)

// BenchmarkGet is a cache hit for the 1,000-module workload of
// bench/modgen: reading and checking the entry (1,000 stat calls, no
// hashing) without the process start that a whole `gocfg eval` adds.
func BenchmarkGet(b *testing.B) {
	dir := b.TempDir()
	entry, err := modgen.Write(filepath.Join(dir, "config"), 1000)
	if err != nil {
		b.Fatal(err)
	}
	c := evalcache.New(filepath.Join(dir, "cache"))
	key := evalcache.Key{Entry: entry, Query: "eval json"}
	rec := evalcache.NewRecorder(nil)
	ev, diags := modules.Load(modules.Options{Entry: entry, Getenv: rec.Getenv, Reader: rec})
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	js, _ := ev.JSON("")
	if err := c.Put(key, rec, &evalcache.Entry{Outputs: map[string][]byte{"out": js}}); err != nil {
		b.Fatal(err)
	}
	// The files were just written: the first Get hashes them and, its
	// clock two seconds ahead, records their signatures as settled.
	c.Now = func() time.Time { return time.Now().Add(2 * time.Second) }
	c.Get(key, nil)
	for b.Loop() {
		if _, _, ok := c.Get(key, nil); !ok {
			b.Fatal("miss")
		}
	}
}
