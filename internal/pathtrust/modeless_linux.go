package pathtrust

import "golang.org/x/sys/unix"

// modeless maps the magic numbers of file systems that keep no Unix
// modes of their own (a mount option decides them, and chmod changes
// nothing) to their names.
var modeless = map[int64]string{
	0x4d44:     "FAT",
	0x01021997: "9p (WSL's drvfs, a virtual machine's shared folder)",
	0xff534d42: "CIFS",
	0xfe534d42: "SMB2",
	0x786f4256: "VirtualBox shared folder",
	0x5346544e: "NTFS",
	0x2011bab0: "exFAT",
}

// Modeless names the file system path is on when it keeps no Unix
// modes of its own, so that "chmod go-w" cannot help (reviewer R8:
// dotfiles on WSL's /mnt/c show 0777); ok is false otherwise.
func Modeless(path string) (name string, ok bool) {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return "", false
	}
	return modelessType(int64(st.Type))
}

// modelessType is Modeless for a file system of magic number t.
func modelessType(t int64) (string, bool) {
	name, ok := modeless[t]
	return name, ok
}
