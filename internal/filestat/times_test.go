//go:build linux || darwin

package filestat

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestTimes: the times read from the stat are the file's: the
// modification time os.Stat reports, and a change time that moves when
// the file's mode changes.
func TestTimes(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	past := time.Unix(1_000_000_000, 123)
	if err := os.Chtimes(p, past, past); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	mtime, ctime := Times(fi.Sys().(*syscall.Stat_t))
	if mtime != past.UnixNano() {
		t.Errorf("mtime %d, want %d", mtime, past.UnixNano())
	}
	if ctime <= past.UnixNano() {
		t.Errorf("ctime %d, want later than the mtime set in the past (%d)", ctime, past.UnixNano())
	}
}
