package accounts

import (
	"bufio"
	"bytes"
	"errors"
	"io/fs"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/platform/system"
)

// LoginDefs are the settings of /etc/login.defs that decide which IDs
// belong to ordinary (not system) users and groups.
type LoginDefs struct {
	UIDMin, UIDMax int
	GIDMin, GIDMax int
}

// DefaultLoginDefs are shadow's defaults, used for settings the file
// does not give (or when there is no file).
var DefaultLoginDefs = LoginDefs{UIDMin: 1000, UIDMax: 60000, GIDMin: 1000, GIDMax: 60000}

// ReadLoginDefs reads UID_MIN, UID_MAX, GID_MIN and GID_MAX from
// /etc/login.defs.
func ReadLoginDefs(sys system.System) (LoginDefs, error) {
	d := DefaultLoginDefs
	data, err := sys.ReadFile("/etc/login.defs")
	if errors.Is(err, fs.ErrNotExist) {
		return d, nil
	}
	if err != nil {
		return d, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || strings.HasPrefix(f[0], "#") {
			continue
		}
		n, err := strconv.Atoi(f[1])
		if err != nil || n < 0 {
			continue
		}
		switch f[0] {
		case "UID_MIN":
			d.UIDMin = n
		case "UID_MAX":
			d.UIDMax = n
		case "GID_MIN":
			d.GIDMin = n
		case "GID_MAX":
			d.GIDMax = n
		}
	}
	if d.UIDMax < d.UIDMin {
		d.UIDMin, d.UIDMax = DefaultLoginDefs.UIDMin, DefaultLoginDefs.UIDMax
	}
	if d.GIDMax < d.GIDMin {
		d.GIDMin, d.GIDMax = DefaultLoginDefs.GIDMin, DefaultLoginDefs.GIDMax
	}
	return d, sc.Err()
}

// SystemUID reports whether uid belongs to root or a system account
// (below UID_MIN).
func (d LoginDefs) SystemUID(uid int) bool { return uid < d.UIDMin }

// SystemGID reports whether gid belongs to a system group (below
// GID_MIN).
func (d LoginDefs) SystemGID(gid int) bool { return gid < d.GIDMin }
