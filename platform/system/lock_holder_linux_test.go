package system

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// A statInfo is a FileInfo whose Sys is st, as Lstat's is on Linux.
type statInfo struct{ st *syscall.Stat_t }

func (statInfo) Name() string       { return "lock" }
func (statInfo) Size() int64        { return 0 }
func (statInfo) Mode() fs.FileMode  { return 0o600 }
func (statInfo) ModTime() time.Time { return time.Time{} }
func (statInfo) IsDir() bool        { return false }
func (i statInfo) Sys() any         { return i.st }

// TestLockHolderIn: whether the lock is held is what /proc/locks says of
// the lock file's device and inode, never the pid written in it (tester,
// finding 4: a reused pid was taken for a switch under way). The file
// here is device 0x2a:0x03 (00:2a in /proc/locks' hex), inode 12345.
func TestLockHolderIn(t *testing.T) {
	file := statInfo{&syscall.Stat_t{Dev: unix.Mkdev(0x2a, 3), Ino: 12345}}
	for _, tc := range []struct {
		name      string
		locks     string
		written   int
		files     []fs.FileInfo
		wantPID   int
		wantHeld  bool
		wantKnown bool
	}{
		{"flock on the file", "1: FLOCK  ADVISORY  WRITE 1234 2a:03:12345 0 EOF\n", 0, []fs.FileInfo{file}, 1234, true, true},
		{"zero-padded device", "1: FLOCK  ADVISORY  WRITE 1234 0002a:003:12345 0 EOF\n", 0, []fs.FileInfo{file}, 1234, true, true},
		{"the kernel's pid, not the written one", "1: FLOCK  ADVISORY  WRITE 1234 2a:03:12345 0 EOF\n", 99, []fs.FileInfo{file}, 1234, true, true},
		{"posix lock (NFS)", "1: POSIX  ADVISORY  WRITE 1234 2a:03:12345 0 EOF\n", 0, []fs.FileInfo{file}, 1234, true, true},
		{"among others", "1: FLOCK  ADVISORY  WRITE 7 08:02:555 0 EOF\n2: POSIX  ADVISORY  READ 8 2a:03:1 0 EOF\n3: FLOCK  ADVISORY  WRITE 1234 2a:03:12345 0 EOF\n", 0, []fs.FileInfo{file}, 1234, true, true},
		{"another inode", "1: FLOCK  ADVISORY  WRITE 1234 2a:03:12346 0 EOF\n", 1234, []fs.FileInfo{file}, 0, false, true},
		{"another inode with the written pid's digits", "1: FLOCK  ADVISORY  WRITE 1234 2a:03:112345 0 EOF\n", 1234, []fs.FileInfo{file}, 0, false, true},
		{"no locks", "", 1234, []fs.FileInfo{file}, 0, false, true},
		{"blocked waiter", "1: -> FLOCK  ADVISORY  WRITE 1234 2a:03:12345 0 EOF\n", 0, []fs.FileInfo{file}, 0, false, true},
		{"lease", "1: LEASE  ACTIVE    READ 1234 2a:03:12345 0 EOF\n", 0, []fs.FileInfo{file}, 0, false, true},
		{"ofd lock, no pid", "1: OFDLCK ADVISORY  WRITE -1 2a:03:12345 0 EOF\n", 0, []fs.FileInfo{file}, 0, false, true},
		{"malformed: short line", "1: FLOCK  ADVISORY  WRITE 1234\n", 0, []fs.FileInfo{file}, 0, false, true},
		{"malformed: pid", "1: FLOCK  ADVISORY  WRITE abc 2a:03:12345 0 EOF\n", 0, []fs.FileInfo{file}, 0, false, true},
		{"malformed: file field", "1: FLOCK  ADVISORY  WRITE 1234 2a:12345 0 EOF\n", 0, []fs.FileInfo{file}, 0, false, true},
		{"malformed: device", "1: FLOCK  ADVISORY  WRITE 1234 zz:03:12345 0 EOF\n", 0, []fs.FileInfo{file}, 0, false, true},
		{"malformed: garbage", "garbage\n\n::\n", 0, []fs.FileInfo{file}, 0, false, true},
		// btrfs: stat's device is the subvolume's, /proc/locks' the file
		// system's. The inode alone counts when its holder is written.
		{"inode alone, the written holder", "1: FLOCK  ADVISORY  WRITE 1234 00:1f:12345 0 EOF\n", 1234, []fs.FileInfo{file}, 1234, true, true},
		{"inode alone, another holder", "1: FLOCK  ADVISORY  WRITE 1234 00:1f:12345 0 EOF\n", 99, []fs.FileInfo{file}, 0, false, true},
		{"inode alone, nothing written", "1: FLOCK  ADVISORY  WRITE 1234 00:1f:12345 0 EOF\n", 0, []fs.FileInfo{file}, 0, false, true},
		{"inode alone, twice", "1: FLOCK  ADVISORY  WRITE 1234 00:1f:12345 0 EOF\n2: FLOCK  ADVISORY  WRITE 1234 00:20:12345 0 EOF\n", 1234, []fs.FileInfo{file}, 0, false, true},
		// The folder's lock counts: the file may have been replaced.
		{"the folder held", "1: FLOCK  ADVISORY  WRITE 1234 2a:03:777 0 EOF\n", 0, []fs.FileInfo{statInfo{&syscall.Stat_t{Dev: unix.Mkdev(0x2a, 3), Ino: 777}}, file}, 1234, true, true},
		{"no file", "1: FLOCK  ADVISORY  WRITE 1234 2a:03:12345 0 EOF\n", 0, nil, 0, false, false},
		{"no stat", "1: FLOCK  ADVISORY  WRITE 1234 2a:03:12345 0 EOF\n", 0, []fs.FileInfo{nilSys{}}, 0, false, false},
		{"a nil stat", "1: FLOCK  ADVISORY  WRITE 1234 2a:03:12345 0 EOF\n", 0, []fs.FileInfo{statInfo{}}, 0, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pid, held, known := lockHolderIn(tc.locks, tc.written, tc.files)
			if pid != tc.wantPID || held != tc.wantHeld || known != tc.wantKnown {
				t.Errorf("lockHolderIn = %d, %v, %v; want %d, %v, %v", pid, held, known, tc.wantPID, tc.wantHeld, tc.wantKnown)
			}
		})
	}
}

// A nilSys is a FileInfo without a stat (Sys nil), as a fake System's.
type nilSys struct{ statInfo }

func (nilSys) Sys() any { return nil }

// TestLockHolderReal: the lock Lock takes is held, by this process, while
// it is; released, it is free though this process, alive, is still
// written in the lock file. Nothing LockHolder does takes the lock: a
// Lock from elsewhere still fails while it is held.
func TestLockHolderReal(t *testing.T) {
	name := filepath.Join(t.TempDir(), "lock")
	s := NewReal()
	held := func() (int, bool) {
		t.Helper()
		var files []fs.FileInfo
		for _, p := range []string{LockFolder(name), name} {
			if fi, err := os.Lstat(p); err == nil {
				files = append(files, fi)
			}
		}
		pid, held, known := LockHolder(os.Getpid(), files...)
		if !known {
			t.Fatalf("LockHolder(%s) does not know; /proc/locks is Linux's", name)
		}
		return pid, held
	}
	u, err := s.Lock(name, os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if pid, ok := held(); !ok || pid != os.Getpid() {
		t.Errorf("LockHolder with the lock taken = %d, %v; want %d, true", pid, ok, os.Getpid())
	}
	if _, err := s.Lock(name, 2); err == nil {
		t.Error("a second Lock was let in after LockHolder")
	}
	if err := u.Unlock(); err != nil {
		t.Fatal(err)
	}
	if pid, ok := held(); ok {
		t.Errorf("LockHolder with the lock released = %d, true; want free", pid)
	}
}
