package deploy

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gocfg/gocfg/internal/filestat"
	"golang.org/x/sys/unix"
)

// pruneAfter is the age below which a control folder is not pruned.
const pruneAfter = time.Minute

// controlPrefix begins the name of every deploy's control folder.
const controlPrefix = "gocfg-deploy-ssh-"

// lockControlFolder takes dir's lock (flock on the folder), held while
// the deploy that made it runs; EWOULDBLOCK when another holds it.
func lockControlFolder(dir string) (*os.File, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// pruneControlFolders ends the masters, and removes the folders, that
// deploys of this user killed before their Cleanup left in root: a
// control folder whose lock no deploy holds (tester AW: each SIGKILL left
// one, with a master that held its connection for ControlPersist, and no
// later deploy removed it). Only the user's own private folders are
// looked at, and one whose lock a deploy holds is left alone. A gocfg
// from before the lock took none: a deploy it runs at the same time
// loses its connections.
func pruneControlFolders(root, own string) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, e := range entries {
		dir := filepath.Join(root, e.Name())
		if !strings.HasPrefix(e.Name(), controlPrefix) || dir == own {
			continue
		}
		fi, err := os.Lstat(dir)
		if err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 || time.Since(fi.ModTime()) < pruneAfter {
			// A new folder may be another deploy's between its mkdir and
			// its lock (reviewer R20).
			continue
		}
		if uid, _ := filestat.Owner(fi); uid != os.Geteuid() {
			continue
		}
		lock, err := lockControlFolder(dir)
		if err != nil {
			continue // a deploy under way (EWOULDBLOCK), or unreadable
		}
		(&SSH{Binary: "ssh", ControlDir: dir}).Cleanup()
		lock.Close()
	}
}
