package main

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
)

// TestTerminalColumns: a terminal's width; a new pseudo-terminal that
// says 0 columns is $COLUMNS wide, else 80 (reviewer R18: nothing was
// cut there); a file that is no terminal has none.
func TestTerminalColumns(t *testing.T) {
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	defer ptmx.Close()
	if err := unix.IoctlSetPointerInt(int(ptmx.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(ptmx.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	pts, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer pts.Close()

	if err := unix.IoctlSetWinsize(int(pts.Fd()), unix.TIOCSWINSZ, &unix.Winsize{}); err != nil {
		t.Fatal(err)
	}
	t.Setenv("COLUMNS", "")
	if got := terminalColumns(pts); got != 80 {
		t.Errorf("0 columns, no $COLUMNS: %d, want 80", got)
	}
	t.Setenv("COLUMNS", "132")
	if got := terminalColumns(pts); got != 132 {
		t.Errorf("0 columns, COLUMNS=132: %d, want 132", got)
	}
	if err := unix.IoctlSetWinsize(int(pts.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 24, Col: 57}); err != nil {
		t.Fatal(err)
	}
	if got := terminalColumns(pts); got != 57 {
		t.Errorf("57 columns: %d", got)
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := terminalColumns(f); got != 0 {
		t.Errorf("a file: %d, want 0", got)
	}
}
