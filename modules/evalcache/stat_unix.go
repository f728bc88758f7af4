//go:build linux || darwin

package evalcache

import (
	"io/fs"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/gocfg/gocfg/internal/filestat"
	"golang.org/x/sys/unix"
)

// signatureOf is a file's stat signature.
func signatureOf(fi fs.FileInfo) signature {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return signature{Size: fi.Size(), Mode: uint32(fi.Mode()), MtimeNS: fi.ModTime().UnixNano(), CtimeNS: -1}
	}
	mtime, ctime := filestat.Times(st)
	return signature{
		Size: int64(st.Size), Mode: uint32(st.Mode),
		MtimeNS: mtime, CtimeNS: ctime,
		Ino: uint64(st.Ino), Dev: uint64(st.Dev),
	}
}

// signatureOfStat is signatureOf for what fstatat filled in.
func signatureOfStat(st *unix.Stat_t) signature {
	return signature{
		Size: int64(st.Size), Mode: uint32(st.Mode),
		MtimeNS: st.Mtim.Nano(), CtimeNS: st.Ctim.Nano(),
		Ino: uint64(st.Ino), Dev: uint64(st.Dev),
	}
}

func ownerOf(fi fs.FileInfo) (uid int, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}

// A statResult is what stat said of one path.
type statResult struct {
	sig signature
	err error
}

// minStatsPerWorker is how many stats make a second worker worth its
// start.
const minStatsPerWorker = 128

// statPath stats path, links followed, as os.Stat would.
func statPath(path string) statResult {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return statResult{err: &fs.PathError{Op: "stat", Path: path, Err: err}}
	}
	return statResult{sig: signatureOfStat(&st)}
}

// statEach stats the n paths path(0) … path(n-1), links followed, as
// os.Stat would, and gives each result to check(i, st), until one says
// false: then statEach says false too. The paths are best sorted, so
// that the files of one folder come together: each folder is opened
// once and its files are looked up from it (fstatat), instead of walking
// every path from the root; the work is split among the machine's
// processors, and check runs on the goroutine that statted (checks of
// different i may run at once). A hit of the evaluation cache is mostly
// these stats (1,000 for 1,000 modules); handing each result to check
// at once keeps no slice of results (64 KB of fresh memory for 1,000).
// The work of each other goroutine runs through guard, which says
// whether it finished (readMapped, as the paths are read from the mapped
// entry); the caller's own goroutine is the caller's to guard.
func statEach(n int, path func(int) string, check func(i int, st statResult) bool, guard func(func()) bool) bool {
	workers := min(runtime.GOMAXPROCS(0), n/minStatsPerWorker)
	if workers <= 1 {
		return statRange(0, n, path, check, nil)
	}
	var wg sync.WaitGroup
	var failed atomic.Bool
	per := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += per {
		hi := min(lo+per, n)
		wg.Go(func() {
			ok := false
			if !guard(func() { ok = statRange(lo, hi, path, check, &failed) }) || !ok {
				failed.Store(true)
			}
		})
	}
	wg.Wait()
	return !failed.Load()
}

// statRange is statEach for path(lo) … path(hi-1), holding the folder
// of the last path open for the next; it stops early once failed (when
// not nil) is set by another range.
func statRange(lo, hi int, path func(int) string, check func(int, statResult) bool, failed *atomic.Bool) bool {
	dir, dfd := "", -1
	defer func() {
		if dfd >= 0 {
			unix.Close(dfd)
		}
	}()
	var st unix.Stat_t
	for i := lo; i < hi; i++ {
		if failed != nil && failed.Load() {
			return false
		}
		p := path(i)
		d, name := filepath.Split(p)
		if d != dir {
			if dfd >= 0 {
				unix.Close(dfd)
			}
			dir, dfd = d, -1
			if fd, err := unix.Open(d, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0); err == nil {
				dfd = fd
			}
		}
		var err error
		if dfd >= 0 && name != "" {
			err = unix.Fstatat(dfd, name, &st, 0)
		} else {
			err = unix.Stat(p, &st)
		}
		res := statResult{}
		if err != nil {
			res.err = &fs.PathError{Op: "stat", Path: p, Err: err}
		} else {
			res.sig = signatureOfStat(&st)
		}
		if !check(i, res) {
			return false
		}
	}
	return true
}
