package system

import (
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/gocfg/gocfg/internal/filestat"
	"golang.org/x/sys/unix"
)

// readDirStat lists the folder name, sorted by name, as os.ReadDir does,
// with every entry's Info taken at once by fstatat(2) relative to the
// open folder. os.ReadDir's entries lstat their full path when Info is
// asked, so the kernel walks every component of it again for each
// entry; the files provider and the store ask it of every file they list
// (10,000 dotfiles and as many stored files in a switch). An entry whose
// fstatat fails (removed meanwhile) keeps os's lazy Info, which then
// says what it says today.
// readDirTypes is readDirStat: macOS keeps the fstatat of every entry.
func readDirTypes(name string) ([]fs.DirEntry, error) { return readDirStat(name) }

func readDirStat(name string) ([]fs.DirEntry, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	des, err := f.ReadDir(-1)
	slices.SortFunc(des, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	if len(des) == 0 {
		return des, err
	}
	rc, cerr := f.SyscallConn()
	if cerr != nil {
		return des, err
	}
	_ = rc.Control(func(fd uintptr) {
		for i, de := range des {
			var st unix.Stat_t
			if unix.Fstatat(int(fd), de.Name(), &st, unix.AT_SYMLINK_NOFOLLOW) == nil {
				des[i] = statDirEntry{de, filestat.NewInfo(de.Name(), &st)}
			}
		}
	})
	return des, err
}

// A statDirEntry is a listed entry with its Info already taken.
type statDirEntry struct {
	fs.DirEntry
	info *filestat.Info
}

func (e statDirEntry) Info() (fs.FileInfo, error) { return e.info, nil }
