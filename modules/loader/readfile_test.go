package loader

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
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
