package passwordfiles

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/internal/filestat"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/platform/users"
)

// maxHashFile bounds what is read of a hash file: a crypt(3) hash is
// about 100 bytes.
const maxHashFile = 4096

// maxLinks bounds the links followed on the way to a hash file, as the
// kernel's 40.
const maxLinks = 40

// A hashFileError is a hash file refused, with what to do about it. It
// never quotes the file's content.
type hashFileError struct {
	path, msg, hint string
}

func (e *hashFileError) Error() string { return e.path + ": " + e.msg }

// hintOf is the hint of a hashFileError ("" for another error).
func hintOf(err error) string {
	var e *hashFileError
	if errors.As(err, &e) {
		return e.hint
	}
	return ""
}

// rootOnlyHint is the hint of a file or folder another account may
// change.
const rootOnlyHint = "keep the file root's, 0600 or 0400, in folders only root may write (an age secret's default owner is root)"

// rootOnly refuses fi, at p, unless root owns it and no one else may
// write it: whoever may change the file, or a folder on its way, chooses
// the account's password (reviewer: a link planted in a folder another
// user may write could lead to her own secret).
func rootOnly(p string, fi fs.FileInfo, what string) error {
	owner, _ := filestat.Owner(fi)
	switch {
	case owner != 0:
		return &hashFileError{p, fmt.Sprintf("%s is owned by uid %d, not root: its owner could choose the password", what, owner), rootOnlyHint}
	case fi.Mode().Perm()&0o022 != 0:
		return &hashFileError{p, fmt.Sprintf("%s may be written by others (mode %04o): they could choose the password", what, fi.Mode().Perm()), rootOnlyHint}
	}
	return nil
}

// resolve follows the links on the way to the machine path p through
// sys, one component at a time, as the machine would (under --root an
// absolute link leads inside the tree, never to the host's files), and
// checks every folder on the way with rootOnly. It returns the path
// without links and the lstat of the file there.
func resolve(sys system.System, p string) (string, fs.FileInfo, error) {
	// Not cleaned first: "link/.." is the link's target's parent, as
	// the kernel has it (reviewer).
	done, rest := "/", strings.Split(strings.TrimPrefix(p, "/"), "/")
	links := 0
	for len(rest) > 0 {
		name := rest[0]
		rest = rest[1:]
		switch name {
		case "", ".":
			continue
		case "..":
			done = path.Dir(done)
			continue
		}
		// The machine's "/" is followed when it is a link (a --root tree
		// given through one: reviewer); what is above it is not the
		// machine's.
		lstat := sys.Lstat
		if done == "/" {
			lstat = sys.Stat
		}
		dir, err := lstat(done)
		if err != nil {
			return "", nil, err
		}
		if err := rootOnly(p, dir, "the folder "+done); err != nil {
			return "", nil, err
		}
		next := path.Join(done, name)
		fi, err := sys.Lstat(next)
		if err != nil {
			return "", nil, err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			if len(rest) == 0 {
				return next, fi, nil
			}
			done = next
			continue
		}
		if links++; links > maxLinks {
			return "", nil, &hashFileError{p, "too many links on the way", ""}
		}
		target, err := sys.Readlink(next)
		if err != nil {
			return "", nil, err
		}
		if path.IsAbs(target) {
			done = "/"
		}
		rest = append(strings.Split(target, "/"), rest...)
	}
	return "", nil, &hashFileError{p, "not a file", ""}
}

// readHash reads a hash from the file at path, through sys.
// The file and every folder on its way must be root's and writable by no
// one else; links are followed inside the machine (resolve), the file
// must be a regular one (sys refuses anything else before a read could
// block), and the file opened must be the one resolved. An error wraps
// fs.ErrNotExist when there is no file.
func readHash(sys system.System, path string) (string, error) {
	resolved, fi, err := resolve(sys, path)
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() {
		return "", &hashFileError{path, "not a regular file", ""}
	}
	f, err := sys.Open(resolved)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, ok := f.(interface{ Stat() (fs.FileInfo, error) })
	if !ok {
		return "", &hashFileError{path, "cannot tell who owns it", ""}
	}
	opened, err := st.Stat()
	if err != nil {
		return "", err
	}
	if !filestat.SameFile(fi, opened) {
		return "", &hashFileError{path, "changed while it was read", "run the switch again"}
	}
	if err := rootOnly(path, opened, "the file"); err != nil {
		return "", err
	}
	data, err := io.ReadAll(io.LimitReader(f, maxHashFile+1))
	defer clear(data)
	if err != nil {
		return "", err
	}
	if len(data) > maxHashFile {
		return "", &hashFileError{path, "larger than " + strconv.Itoa(maxHashFile) + " bytes: not a password hash", users.PasswordHint}
	}
	hash := strings.TrimSuffix(string(data), "\n")
	if !users.ValidHash(hash) {
		return "", &hashFileError{path, `does not hold one crypt(3) password hash (or "!" or "*") on one line`, users.PasswordHint}
	}
	return hash, nil
}
