//go:build linux || darwin

package evalcache

import (
	"io/fs"
	"path/filepath"
	"runtime"
	"sync"
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

// statPaths stats every path, links followed, as os.Stat would. The
// paths are best sorted, so that the files of one folder come together:
// each folder is opened once and its files are looked up from it
// (fstatat), instead of walking every path from the root; the work is
// split among the machine's processors. A hit of the evaluation cache is
// mostly these stats (1,000 for 1,000 modules).
func statPaths(paths []string) []statResult {
	out := make([]statResult, len(paths))
	workers := min(runtime.GOMAXPROCS(0), len(paths)/minStatsPerWorker)
	if workers <= 1 {
		statRange(paths, out)
		return out
	}
	var wg sync.WaitGroup
	per := (len(paths) + workers - 1) / workers
	for lo := 0; lo < len(paths); lo += per {
		hi := min(lo+per, len(paths))
		wg.Go(func() { statRange(paths[lo:hi], out[lo:hi]) })
	}
	wg.Wait()
	return out
}

// statRange stats paths into out, holding the folder of the last path
// open for the next.
func statRange(paths []string, out []statResult) {
	dir, dfd := "", -1
	defer func() {
		if dfd >= 0 {
			unix.Close(dfd)
		}
	}()
	var st unix.Stat_t
	for i, p := range paths {
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
		if err != nil {
			out[i].err = &fs.PathError{Op: "stat", Path: p, Err: err}
			continue
		}
		out[i].sig = signatureOfStat(&st)
	}
}
