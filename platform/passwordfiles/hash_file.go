package passwordfiles

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/internal/filestat"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/platform/users"
)

// maxHashFile bounds what is read of a hash file: a crypt(3) hash is
// about 100 bytes.
const maxHashFile = 4096

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

// readHash reads the hash of user (uid) from the file at path, through
// sys (which refuses anything but a regular file before reading). The
// file must be root's or the user's, and writable by no one else: its
// writer chooses the password. An error wraps fs.ErrNotExist when there
// is no file.
func readHash(sys system.System, path string, uid int, user string) (string, error) {
	f, err := sys.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, ok := f.(interface{ Stat() (fs.FileInfo, error) })
	if !ok {
		return "", &hashFileError{path, "cannot tell who owns it", ""}
	}
	fi, err := st.Stat()
	if err != nil {
		return "", err
	}
	owner, _ := filestat.Owner(fi)
	if owner != 0 && owner != uid {
		return "", &hashFileError{path, "owned by uid " + strconv.Itoa(owner) + ": only root or " + user + " may own the file that sets " + user + "'s password",
			"chown root " + path + ", or set the secret's owner to root"}
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return "", &hashFileError{path, fmt.Sprintf("writable by others (mode %04o): whoever writes it chooses %s's password", fi.Mode().Perm(), user),
			"chmod go-w " + path}
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
