package system

import (
	"encoding/binary"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"github.com/gocfg/gocfg/internal/filestat"
	"golang.org/x/sys/unix"
)

// direntBuffers holds the buffers readDirStat reads entries into.
var direntBuffers = sync.Pool{New: func() any { b := make([]byte, 8<<10); return &b }}

// readDirStat lists the folder name, sorted by name, as os.ReadDir does,
// with every entry's Info taken at once by fstatat(2) relative to the
// open folder. os.ReadDir's entries lstat their full path when Info is
// asked, so the kernel walks every component of it again for each
// entry; the files provider and the store ask it of every file they list
// (10,000 dotfiles and as many stored files in a switch). The folder is
// read with getdents64 on a plain descriptor: os.Open would register it
// with the network poller (four fcntl and a failing epoll_ctl for each
// of the 1,100 folders of 10,000 dotfiles). An entry whose fstatat fails
// (removed meanwhile) is listed as os.ReadDir lists it: its type from
// the listing, its Info asked of the path when wanted.
func readDirStat(name string) ([]fs.DirEntry, error) { return readDir(name, true) }

// readDirTypes is readDirStat without the fstatat of the regular files
// and folders the listing names: their entries have the listing's type
// and ask the path for their Info when wanted. Other entries (a link, a
// type the file system did not give) are stat'ed as readDirStat's.
func readDirTypes(name string) ([]fs.DirEntry, error) { return readDir(name, false) }

// readDir is readDirStat, with the fstatat of regular files and folders
// only when statAll.
func readDir(name string, statAll bool) ([]fs.DirEntry, error) {
	var fd int
	var err error
	for {
		fd, err = unix.Open(name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer unix.Close(fd)
	bp := direntBuffers.Get().(*[]byte)
	defer direntBuffers.Put(bp)
	buf := *bp
	var des []fs.DirEntry
	for {
		n, err := unix.Getdents(fd, buf)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			sortEntries(des)
			return des, &fs.PathError{Op: "readdirent", Path: name, Err: err}
		}
		if n <= 0 {
			break
		}
		for b := buf[:n]; len(b) > 0; {
			ent, typ, rest, ok := nextDirent(b)
			if !ok {
				break
			}
			b = rest
			if ent == "" {
				continue
			}
			var st unix.Stat_t
			if !statAll && (typ == 0 || typ == fs.ModeDir) {
				des = append(des, &lazyDirEntry{name: ent, typ: typ, path: filepath.Join(name, ent)})
			} else if unix.Fstatat(fd, ent, &st, unix.AT_SYMLINK_NOFOLLOW) == nil {
				des = append(des, fs.FileInfoToDirEntry(filestat.NewInfo(ent, &st)))
			} else {
				des = append(des, &lazyDirEntry{name: ent, typ: typ, path: filepath.Join(name, ent)})
			}
		}
	}
	sortEntries(des)
	return des, nil
}

// sortEntries sorts des by name, as os.ReadDir does.
func sortEntries(des []fs.DirEntry) {
	slices.SortFunc(des, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
}

// nextDirent reads the first linux_dirent64 of b: its name ("" for ".",
// "..", and entries without an inode, which os.ReadDir leaves out), its
// type and what follows it; ok is false when b holds no whole entry.
func nextDirent(b []byte) (name string, typ fs.FileMode, rest []byte, ok bool) {
	// The fields of struct linux_dirent64, read in place: b need not
	// hold a whole unix.Dirent (a pointer to one would straddle the end
	// of the buffer).
	const (
		inoOff    = int(unsafe.Offsetof(unix.Dirent{}.Ino))
		reclenOff = int(unsafe.Offsetof(unix.Dirent{}.Reclen))
		typeOff   = int(unsafe.Offsetof(unix.Dirent{}.Type))
		nameOff   = int(unsafe.Offsetof(unix.Dirent{}.Name))
	)
	if len(b) < nameOff {
		return "", 0, nil, false
	}
	reclen := int(binary.NativeEndian.Uint16(b[reclenOff:]))
	if reclen < nameOff || reclen > len(b) {
		return "", 0, nil, false
	}
	nb := b[nameOff:reclen]
	if i := slices.Index(nb, 0); i >= 0 {
		nb = nb[:i]
	}
	rest = b[reclen:]
	if binary.NativeEndian.Uint64(b[inoOff:]) == 0 || string(nb) == "." || string(nb) == ".." {
		return "", 0, rest, true
	}
	return string(nb), direntType(b[typeOff]), rest, true
}

// direntType is the fs.FileMode type bits of a d_type, as os reads them.
func direntType(t uint8) fs.FileMode {
	switch t {
	case unix.DT_BLK:
		return fs.ModeDevice
	case unix.DT_CHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case unix.DT_DIR:
		return fs.ModeDir
	case unix.DT_FIFO:
		return fs.ModeNamedPipe
	case unix.DT_LNK:
		return fs.ModeSymlink
	case unix.DT_REG:
		return 0
	case unix.DT_SOCK:
		return fs.ModeSocket
	}
	return fs.ModeIrregular
}
