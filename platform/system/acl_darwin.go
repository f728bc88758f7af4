package system

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"strconv"
)

// grantRead gives uid read and search access to the folder name with a
// macOS ACL: the folder's own entries are cleared (chmod -N) and one is
// added for the user (chmod +a "user:<name> allow list,search,…"), the
// folder's mode staying 0700, so the user alone, besides its owner, can
// enter it. The primary group of every Mac user is staff, so group
// ownership would let every user in. Not tested on a Mac here (no Mac in
// CI's Linux run); the darwin workflow runs it.
func grantRead(name string, uid int) error {
	fi, err := os.Lstat(name)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return &fs.PathError{Op: "setfacl", Path: name, Err: fmt.Errorf("not a folder")}
	}
	u, err := user.LookupId(strconv.Itoa(uid))
	if err != nil {
		return &fs.PathError{Op: "setfacl", Path: name, Err: err}
	}
	for _, args := range [][]string{
		{"-N", name},
		{"+a", "user:" + u.Username + " allow list,search,readattr,readextattr,readsecurity", name},
	} {
		if out, err := exec.Command("/bin/chmod", args...).CombinedOutput(); err != nil {
			return &fs.PathError{Op: "setfacl", Path: name, Err: fmt.Errorf("chmod %s: %v: %s", args[0], err, out)}
		}
	}
	return nil
}
