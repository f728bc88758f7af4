package testfs

import (
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// Lease takes a write lease on the file at path (fcntl F_SETLEASE, as any
// owner of a file may, to stall whoever opens it next: tester AA) and
// lets it go when the test ends; the test is skipped where the kernel
// gives none.
func Lease(t testing.TB, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		unix.FcntlInt(f.Fd(), unix.F_SETLEASE, unix.F_UNLCK) //nolint:errcheck
		f.Close()
	})
	if _, err := unix.FcntlInt(f.Fd(), unix.F_SETLEASE, unix.F_WRLCK); err != nil {
		t.Skipf("no write lease here: %v", err)
	}
}
