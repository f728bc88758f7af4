package generations

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gocfg/gocfg/platform/system"
)

// tempState returns a fresh state folder that is removed after the test
// even though the store makes folders read-only.
func tempState(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	tb.Cleanup(func() {
		if err := system.NewReal().RemoveAll(dir); err != nil {
			tb.Error(err)
		}
	})
	return filepath.Join(dir, "state")
}

// tempStoreDir is tempState with its store folder made, as the store's
// caches need to be written.
func tempStoreDir(tb testing.TB) string {
	tb.Helper()
	dir := tempState(tb)
	if err := os.MkdirAll(filepath.Join(dir, storeDir), 0o755); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// tempStore is a store on the real system in a new state folder (see
// tempState), and that folder.
func tempStore(tb testing.TB) (*Store, string) {
	tb.Helper()
	dir := tempState(tb)
	return New(system.NewReal(), dir), dir
}

// sum returns the sha256 of s in hex.
func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// entry returns an Entry with content s.
func entry(root, rel, s string, exec bool) Entry {
	return Entry{
		Root: root, Rel: rel, Hash: sum(s), Exec: exec,
		Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(s)), nil },
	}
}

// writeExecutable writes generation 1 of a store in a fresh state folder
// with one file, home/alice's executable run, and returns the folder,
// the store and the file's entry.
func writeExecutable(t *testing.T) (string, *Store, Entry) {
	t.Helper()
	s, dir := tempStore(t)
	e := entry("home/alice", "run", "#!/bin/sh\n", true)
	if err := s.Write(gen(1, []Entry{e})); err != nil {
		t.Fatal(err)
	}
	return dir, s, e
}

// testAreas are the areas of the files roots of the tests: ownership left
// alone.
func testAreas() map[string]Area {
	return map[string]Area{
		"etc":        {Name: "system", UID: -1, GID: -1},
		"home/alice": {Name: "home-alice", UID: -1, GID: -1, Private: true},
	}
}

// gen returns a NewGeneration numbered n with files.
func gen(n int, files []Entry) NewGeneration {
	return NewGeneration{
		Meta: Meta{
			Number: n, Time: time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC),
			Version: "test", Host: "atlas", Source: "/src",
			Summary: Summary{Add: len(files)}, Command: "switch",
		},
		Config:    []byte(fmt.Sprintf(`{"generation":%d}`, n)),
		Resources: []byte(`[]`),
		Files:     files,
		Areas:     testAreas(),
	}
}

// nested returns the entries of home/alice's nested fixture:
// .config/app_<a>/sub_<s>/file_<f> for a < apps, s < subs, f < files,
// each with its own content, plus .profile. content gives the content of
// a path.
func nested(apps, subs, files int, content func(rel string) string) []Entry {
	var es []Entry
	es = append(es, entry("home/alice", ".profile", content(".profile"), false))
	for a := range apps {
		for s := range subs {
			for f := range files {
				rel := fmt.Sprintf(".config/app_%d/sub_%d/file_%d", a, s, f)
				es = append(es, entry("home/alice", rel, content(rel), false))
			}
		}
	}
	return es
}

// plain is the content of rel in the fixtures.
func plain(rel string) string { return "content of " + rel + "\n" }

// objects returns the names of the objects in store/<area>.
func objects(tb testing.TB, dir, area string) []string {
	tb.Helper()
	return entryNames(tb, filepath.Join(dir, "store", area))
}

// entryNames returns the names in the folder dir (none when it is
// missing).
func entryNames(tb testing.TB, dir string) []string {
	tb.Helper()
	des, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		tb.Fatal(err)
	}
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	return names
}

// snapshot describes every file under dir: name, mode, size, modification
// time, link target and content.
func snapshot(tb testing.TB, dir string) []string {
	tb.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == dir {
				return nil
			}
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		line := fmt.Sprintf("%s %v %d %v", p, fi.Mode(), fi.Size(), fi.ModTime())
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			t, err := os.Readlink(p)
			if err != nil {
				return err
			}
			line += " -> " + t
		case fi.Mode().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			line += " " + sum(string(b))
		}
		lines = append(lines, line)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	slices.Sort(lines)
	return lines
}

// perm returns the permission bits of p, following symlinks.
func perm(tb testing.TB, p string) fs.FileMode {
	tb.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		tb.Fatal(err)
	}
	return fi.Mode().Perm()
}
