package system

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

// TestRealLockFileSwapped: deleting or replacing the lock file while the
// lock is held does not let a second Lock in (it used to lock the new
// file and go on, and its recovery undid the running switch); the error
// names the holder, from the replaced file or, when the file is gone,
// from the kernel's list of locks (Linux). Released, the lock is free.
func TestRealLockFileSwapped(t *testing.T) {
	for _, tc := range []struct {
		name    string
		swap    func(t *testing.T, name string)
		wantPID int // -1: this process, known from /proc/locks on Linux only
	}{
		{"deleted", func(t *testing.T, name string) {
			if err := os.Remove(name); err != nil {
				t.Fatal(err)
			}
		}, -1},
		{"replaced by an empty file", func(t *testing.T, name string) {
			if err := os.Remove(name); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}, -1},
		{"replaced by another pid", func(t *testing.T, name string) {
			tmp := name + ".new"
			if err := os.WriteFile(tmp, []byte("4242\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(tmp, name); err != nil {
				t.Fatal(err)
			}
		}, 4242},
		{"replaced by a folder", func(t *testing.T, name string) {
			if err := os.Remove(name); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(name, 0o755); err != nil {
				t.Fatal(err)
			}
		}, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := filepath.Join(t.TempDir(), "lock")
			s := NewReal()
			u1, err := s.Lock(name, 111)
			if err != nil {
				t.Fatal(err)
			}
			tc.swap(t, name)

			_, err = s.Lock(name, 222)
			var le *LockedError
			if !errors.As(err, &le) || le.Path != name {
				t.Fatalf("Lock with the lock file swapped: %v; want a *LockedError on %s", err, name)
			}
			want := tc.wantPID
			if want == -1 {
				want = 0
				if runtime.GOOS == "linux" {
					want = os.Getpid()
				}
			}
			if le.PID != want {
				t.Errorf("LockedError.PID = %d, want %d", le.PID, want)
			}

			if err := u1.Unlock(); err != nil {
				t.Fatal(err)
			}
			if fi, err := os.Lstat(name); err == nil && fi.IsDir() {
				if err := os.Remove(name); err != nil {
					t.Fatal(err)
				}
			}
			u2, err := s.Lock(name, 333)
			if err != nil {
				t.Fatalf("Lock after Unlock: %v", err)
			}
			assertFile(t, name, "333\n", 0o600)
			if err := u2.Unlock(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestRealLockOldHolder: a gocfg that locks only the file (older
// versions) still keeps a new one out, and the folder's lock is given
// back when the file's cannot be had.
func TestRealLockOldHolder(t *testing.T) {
	name := filepath.Join(t.TempDir(), "lock")
	if err := os.WriteFile(name, []byte("77\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := flock(f, unix.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	_, err = NewReal().Lock(name, 1)
	var le *LockedError
	if !errors.As(err, &le) || le.PID != 77 {
		t.Fatalf("Lock: %v; want a *LockedError with pid 77", err)
	}
	_ = f.Close()
	u, err := NewReal().Lock(name, 2)
	if err != nil {
		t.Fatalf("Lock once the old holder is gone: %v (the folder's lock was kept?)", err)
	}
	_ = u.Unlock()
}
