package macos

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/platform/system"
)

// A User is a macOS account as the appliers need it: who runs a
// per-user command and where their Library is.
type User struct {
	Name string `json:"name"`
	UID  int    `json:"uid"`
	GID  int    `json:"gid"`
	Home string `json:"home"`
}

// AsUser returns c run as u. gocfg running as root reaches a user's
// preferences and GUI session only from inside that user's bootstrap
// namespace, so the command becomes `launchctl asuser <uid> sudo -u
// <user> -- c` (what nix-darwin and Apple's own scripts do). Run by the
// user themselves (privileged false), c is returned unchanged.
func AsUser(c system.Command, u User, privileged bool) system.Command {
	if !privileged || u.UID == 0 {
		return c
	}
	args := append([]string{"asuser", strconv.Itoa(u.UID), Sudo, "-u", u.Name, "--", c.Path}, c.Args...)
	return system.Command{Path: Launchctl, Args: args, Env: c.Env, Dir: c.Dir, UID: -1, GID: -1, ReadOnly: c.ReadOnly, Tree: c.Tree, Another: true}
}

// Command returns a command for path and args run as gocfg itself.
func Command(path string, args ...string) system.Command {
	return system.Command{Path: path, Args: args, UID: -1, GID: -1}
}

// Query is Command for a question that changes nothing (dscl -read,
// scutil --get, launchctl print, defaults export): marked ReadOnly, it
// runs under gocfg plan's read-only System.
func Query(path string, args ...string) system.Command {
	c := Command(path, args...)
	c.ReadOnly = true
	return c
}

// LookupUser reads name's account from the local directory node with
// `dscl . -read /Users/<name> UniqueID PrimaryGroupID NFSHomeDirectory`.
// The error of a user that does not exist says so.
func LookupUser(ctx context.Context, sys system.System, name string) (User, error) {
	out, err := sys.Run(ctx, Query(Dscl, ".", "-read", "/Users/"+name, "UniqueID", "PrimaryGroupID", "NFSHomeDirectory"))
	if err != nil {
		if bytes.Contains(out, []byte("eDSRecordNotFound")) || bytes.Contains(out, []byte("DS Error: -14136")) {
			return User{}, fmt.Errorf("user %s: no such user in the local directory", name)
		}
		return User{}, fmt.Errorf("user %s: dscl: %w", name, err)
	}
	attrs := ParseDsclRecord(out)
	u := User{Name: name, Home: attrs["NFSHomeDirectory"]}
	if u.UID, err = strconv.Atoi(attrs["UniqueID"]); err != nil {
		return User{}, fmt.Errorf("user %s: dscl gave no UniqueID: %q", name, out)
	}
	if u.GID, err = strconv.Atoi(attrs["PrimaryGroupID"]); err != nil {
		u.GID = 20 // staff
	}
	if u.Home == "" {
		u.Home = "/Users/" + name
	}
	return u, nil
}

// ParseDsclRecord reads `dscl . -read` output: "Key: value" lines, where
// a value too long for the line continues, indented, on the next lines
// ("Key:\n value"). Several values of one key are joined by a space.
func ParseDsclRecord(out []byte) map[string]string {
	attrs := map[string]string{}
	var last string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		if (line[0] == ' ' || line[0] == '\t') && last != "" {
			v := strings.TrimSpace(line)
			if attrs[last] != "" {
				v = attrs[last] + " " + v
			}
			attrs[last] = v
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		last = k
		attrs[k] = strings.TrimSpace(v)
	}
	return attrs
}
