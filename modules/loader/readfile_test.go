package loader

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	ok := filepath.Join(dir, "ok.hcl")
	if err := os.WriteFile(ok, []byte("a = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.hcl")
	if err := os.Symlink(ok, link); err != nil {
		t.Fatal(err)
	}
	devLink := filepath.Join(dir, "zero.hcl")
	if err := os.Symlink("/dev/zero", devLink); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{ok, link} {
		if b, err := ReadFile(p); err != nil || string(b) != "a = 1\n" {
			t.Errorf("ReadFile(%s) = %q, %v", p, b, err)
		}
	}
	tests := []struct{ path, what string }{
		{"/dev/zero", "a character device"},
		{"/dev/urandom", "a character device"},
		{devLink, "a character device"},
		{dir, "a folder"},
	}
	for _, tt := range tests {
		_, err := ReadFile(tt.path)
		if !errors.Is(err, ErrNotRegular) || !strings.HasPrefix(err.Error(), tt.path+": ") || !strings.Contains(err.Error(), tt.what) {
			t.Errorf("ReadFile(%s) = %v, want %s refused", tt.path, err, tt.what)
		}
	}
	if _, err := ReadFile(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// TestReadFileInfo: the stat of the file read comes back with the
// content (the evaluation cache's signature); nil when the file could
// not be found, and set when it was found but refused. Empty and large files are
// read whole. Neither reads a device, a FIFO or a folder, and neither
// blocks on a FIFO.
func TestReadFileInfo(t *testing.T) {
	for name, read := range map[string]func(string) ([]byte, fs.FileInfo, error){
		"ReadFileInfo":     ReadFileInfo,
		"ReadImportedInfo": ReadImportedInfo,
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			large := strings.Repeat("x = \"0123456789abcdef\"\n", 50_000) // 1.1 MB
			for _, content := range []string{"", "a = 1\n", large} {
				p := filepath.Join(dir, "f.hcl")
				if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
				b, fi, err := read(p)
				if err != nil || string(b) != content {
					t.Fatalf("%d bytes: read %d bytes, %v", len(content), len(b), err)
				}
				want, err := os.Stat(p)
				if err != nil {
					t.Fatal(err)
				}
				if fi == nil || fi.Name() != "f.hcl" || fi.Size() != want.Size() || fi.Mode() != want.Mode() || !fi.ModTime().Equal(want.ModTime()) || fi.Sys() == nil {
					t.Errorf("%d bytes: info = %v, want %v", len(content), fi, want)
				}
			}
			if _, fi, err := read(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) || fi != nil {
				t.Errorf("missing file: info %v, %v; want no info and a missing file", fi, err)
			}
			if _, fi, err := read(dir); !errors.Is(err, ErrNotRegular) || fi == nil || !fi.IsDir() {
				t.Errorf("a folder: info %v, %v; want its info and refused", fi, err)
			}
			if _, _, err := read("/dev/zero"); !errors.Is(err, ErrNotRegular) {
				t.Errorf("/dev/zero: %v, want refused", err)
			}
			fifo := filepath.Join(dir, "fifo.hcl")
			if err := syscall.Mkfifo(fifo, 0o644); err != nil {
				t.Fatal(err)
			}
			// A read that blocked would end the test at its timeout.
			if _, _, err := read(fifo); !errors.Is(err, ErrNotRegular) {
				t.Errorf("a FIFO: %v, want refused", err)
			}
		})
	}
}
