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

// An Account is one passwd entry.
type Account struct {
	Name     string
	UID, GID int
	Home     string
	Shell    string
}

// A Database is the machine's users and groups, read once.
type Database struct {
	users  map[string]Account
	groups map[string]int
}

// Read loads /etc/passwd and /etc/group; missing files give an empty
// database (a fresh `--root`).
func Read(sys system.System) (*Database, error) {
	db := &Database{users: map[string]Account{}, groups: map[string]int{}}
	if err := readLines(sys, "/etc/passwd", func(f []string) {
		if len(f) < 7 {
			return
		}
		uid, err1 := strconv.Atoi(f[2])
		gid, err2 := strconv.Atoi(f[3])
		if err1 != nil || err2 != nil {
			return
		}
		db.users[f[0]] = Account{Name: f[0], UID: uid, GID: gid, Home: f[5], Shell: f[6]}
	}); err != nil {
		return nil, err
	}
	if err := readLines(sys, "/etc/group", func(f []string) {
		if len(f) < 3 {
			return
		}
		if gid, err := strconv.Atoi(f[2]); err == nil {
			db.groups[f[0]] = gid
		}
	}); err != nil {
		return nil, err
	}
	return db, nil
}

func readLines(sys system.System, path string, each func([]string)) error {
	data, err := sys.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		each(strings.Split(line, ":"))
	}
	return sc.Err()
}

// User returns the named account.
func (db *Database) User(name string) (Account, bool) {
	a, ok := db.users[name]
	return a, ok
}

// Group returns the named group's ID.
func (db *Database) Group(name string) (int, bool) {
	g, ok := db.groups[name]
	return g, ok
}
