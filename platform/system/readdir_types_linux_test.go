package system

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestReadDirTypes: ReadDirTypes lists what ReadDir lists
// (TestReadDirStat), but takes the Info of a regular file or a folder
// only when asked: a file replaced after the listing is described as it
// is then. A link's is taken as it is listed, as ReadDir's.
func TestReadDirTypes(t *testing.T) {
	dir := listedFolder(t)
	want, _ := NewReal().ReadDir(dir)
	got, err := NewReal().ReadDirTypes(dir)
	if err != nil || len(got) != len(want) {
		t.Fatalf("ReadDirTypes = %d entries, %v; want %d", len(got), err, len(want))
	}
	if err := os.WriteFile(filepath.Join(dir, "a"), []byte("longer content now"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	info := func(des []fs.DirEntry, name string) fs.FileInfo {
		t.Helper()
		for _, e := range des {
			if e.Name() == name {
				fi, err := e.Info()
				if err != nil {
					t.Fatalf("%s: Info: %v", name, err)
				}
				return fi
			}
		}
		t.Fatalf("%s is not listed", name)
		return nil
	}
	if fi := info(got, "a"); fi.Size() != int64(len("longer content now")) {
		t.Errorf("ReadDirTypes: a's Info has size %d, want the file's now", fi.Size())
	}
	if fi := info(want, "a"); fi.Size() != int64(len("a content")) {
		t.Errorf("ReadDir: a's Info has size %d, want the listed file's", fi.Size())
	}
	if fi := info(got, "link"); fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("ReadDirTypes: the link's Info is %v, want the link listed", fi.Mode())
	}
}

// TestOpenStat: a file opened through Real says the stat its open took,
// as os.Stat describes the file.
func TestOpenStat(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte("twelve bytes"), 0o751); err != nil {
		t.Fatal(err)
	}
	f, err := NewReal().Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, ok := f.(interface{ Stat() (fs.FileInfo, error) })
	if !ok {
		t.Fatalf("Open returned %T, which has no Stat", f)
	}
	got, err := st.Stat()
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name() != "f" || got.Size() != 12 || got.Mode() != want.Mode() || !got.ModTime().Equal(want.ModTime()) ||
		got.Sys().(*syscall.Stat_t).Ino != want.Sys().(*syscall.Stat_t).Ino {
		t.Errorf("Stat = %s %d %v %v, want %s %d %v %v", got.Name(), got.Size(), got.Mode(), got.ModTime(), want.Name(), want.Size(), want.Mode(), want.ModTime())
	}
}
