package main

import (
	"errors"
	"io/fs"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// Below these, the state folder's file system is said to be nearly full:
// a switch writes a generation's records and stored contents there, and
// its journal first.
const (
	lowStateBytes  = 64 << 20
	lowStateInodes = 1000
)

// stateSpaceCheck says how much room the file system of the state folder
// host (as this machine has it; its nearest folder that exists) has left
// (tester BB: doctor said the state folder was fine with 0 bytes free,
// and every switch then failed).
func stateSpaceCheck(host string, privileged bool) check {
	dir := host
	var st unix.Statfs_t
	for {
		err := unix.Statfs(dir, &st)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrNotExist) || filepath.Dir(dir) == dir {
			return warnCheck("state-space", "", "%s: cannot tell the room left: %v", host, err)
		}
		dir = filepath.Dir(dir)
	}
	// Tester BG: a read-only state folder was "ok" with room to spare.
	if err := unix.Access(dir, unix.W_OK); errors.Is(err, unix.EROFS) {
		return errCheck("state-space", "mount it read-write (mount -o remount,rw MOUNTPOINT), then run the command again", "%s: its file system is mounted read-only: switch, rollback and gc cannot write there", host)
	}
	free := uint64(st.Bavail) * uint64(st.Bsize)
	if privileged {
		free = uint64(st.Bfree) * uint64(st.Bsize) // root may use the reserved blocks
	}
	return spaceVerdict(host, free, uint64(st.Ffree), uint64(st.Files))
}

// spaceVerdict is stateSpaceCheck's line for free bytes and freeInodes of
// files inodes (0: the file system counts none, as btrfs).
func spaceVerdict(host string, free, freeInodes, files uint64) check {
	const name = "state-space"
	hint := "free space on the file system holding " + host + " (df -h, df -i); gocfg generations gc removes stored contents that no generation uses"
	switch {
	case free == 0 || files > 0 && freeInodes == 0:
		return errCheck(name, hint, "%s: its file system is full (%s free, %d inodes free): a switch cannot write its journal", host, humanBytes(int64(min(free, 1<<62))), freeInodes)
	case free < lowStateBytes || files > 0 && freeInodes < lowStateInodes:
		return warnCheck(name, hint, "%s: its file system is nearly full (%s free, %d inodes free)", host, humanBytes(int64(min(free, 1<<62))), freeInodes)
	}
	return okCheck(name, "%s free", humanBytes(int64(min(free, 1<<62))))
}
