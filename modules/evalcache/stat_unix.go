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
	sig      signature
	err      error
	uid, gid uint32 // the owner, for Cache.Vet
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
	return statResult{sig: signatureOfStat(&st), uid: st.Uid, gid: st.Gid}
}

// statEach stats the n paths path(0) … path(n-1), links followed, as
// os.Stat would, and gives each result to check(i, st), until one says
// false: then statEach says false too. The paths are best sorted, so
// that the files of one folder come together: each folder is opened
// once a chunk and its files are looked up from it (fstatat), instead
// of walking every path from the root. A hit of the evaluation cache is
// mostly these stats (1,000 for 1,000 modules); handing each result to
// check at once keeps no slice of results (64 KB of fresh memory for
// 1,000), and check runs on the goroutine that statted (checks of
// different i may run at once).
//
// The work is shared among the machine's processors by chunks of
// statChunk paths that each worker takes in turn, the caller's own
// goroutine among them: a process starts with one thread running Go
// code, and the second worker's thread is made only when it is asked
// for, which took 0.3 to 2 ms on the benchmark machine. Halves fixed in
// advance waited for it: a hit of 1,000 modules spent 2 to 3.5 ms in its
// stats, as long as or longer than one thread doing them all. With
// chunks, the caller starts at once and a late worker takes what is left.
//
// The work of each worker, the caller's too, runs through guard, which
// says whether it finished (readMapped, as the paths are read from the
// mapped entry).
func statEach(n int, path func(int) string, check func(i int, st statResult) bool, guard func(func()) bool) bool {
	workers := min(runtime.GOMAXPROCS(0), n/minStatsPerWorker)
	if workers <= 1 {
		return statRange(0, n, path, check, nil)
	}
	var next atomic.Int64
	var failed atomic.Bool
	work := func() bool {
		for !failed.Load() {
			lo := int(next.Add(statChunk)) - statChunk
			if lo >= n {
				return true
			}
			if !statRange(lo, min(lo+statChunk, n), path, check, &failed) {
				failed.Store(true)
				return false
			}
		}
		return false
	}
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Go(func() {
			ok := false
			if !guard(func() { ok = work() }) || !ok {
				failed.Store(true)
			}
		})
	}
	if ok := false; !guard(func() { ok = work() }) || !ok {
		failed.Store(true)
	}
	wg.Wait()
	return !failed.Load()
}

// statChunk is how many paths a worker of statEach takes at a time:
// small enough that a worker that starts late still takes a share, large
// enough that opening each chunk's first folder again costs nothing.
const statChunk = 64

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
			res.sig, res.uid, res.gid = signatureOfStat(&st), st.Uid, st.Gid
		}
		if !check(i, res) {
			return false
		}
	}
	return true
}
