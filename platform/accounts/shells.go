package accounts

import (
	"bufio"
	"bytes"
	"errors"
	"io/fs"
	"slices"
	"strings"

	"github.com/gocfg/gocfg/platform/system"
)

// Shells is the list of valid login shells (/etc/shells).
type Shells struct {
	// Present is false when the machine has no /etc/shells.
	Present bool
	List    []string
}

// Allows reports whether shell is listed.
func (s Shells) Allows(shell string) bool {
	return slices.Contains(s.List, shell)
}

// ReadShells reads /etc/shells: one absolute path per line, comments
// after '#'.
func ReadShells(sys system.System) (Shells, error) {
	data, err := sys.ReadFile("/etc/shells")
	if errors.Is(err, fs.ErrNotExist) {
		return Shells{}, nil
	}
	if err != nil {
		return Shells{}, err
	}
	s := Shells{Present: true}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		if line = strings.TrimSpace(line); line != "" {
			s.List = append(s.List, line)
		}
	}
	return s, sc.Err()
}
