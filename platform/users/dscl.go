package users

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/system"
)

// Createhomedir makes a macOS home folder from the user template
// (`createhomedir -c -u <name>`); sysadminctl -addUser does not when it
// is given -home.
const Createhomedir = "/usr/sbin/createhomedir"

// The attributes read from the local directory. RecordName is asked for
// although -readall prints it anyway, so the parse does not depend on
// that; IsHidden is what users.<name>.is_hidden compares with.
var (
	dsclUserAttrs  = []string{"RecordName", "UniqueID", "PrimaryGroupID", "NFSHomeDirectory", "UserShell", "RealName", "IsHidden"}
	dsclGroupAttrs = []string{"RecordName", "PrimaryGroupID", "GroupMembership"}
)

// A dsclRecord is one record of `dscl . -read` or `-readall` output:
// every value of each attribute, in order.
type dsclRecord map[string][]string

// first returns the attribute's first value ("" when absent).
func (r dsclRecord) first(key string) string {
	if vs := r[key]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// joined returns the attribute's values joined by a space (a RealName
// written on the key's own line comes apart at its spaces).
func (r dsclRecord) joined(key string) string { return strings.Join(r[key], " ") }

// parseDscl reads `dscl . -readall <path> attrs...` output: records
// separated by a line "-"; in each, "Key: v1 v2" lines (values without
// spaces, separated by one) or "Key:" followed by indented lines of one
// value each (how dscl writes values that hold spaces). Native attributes
// come as "dsAttrTypeNative:Key: value" and are keyed by Key. Lines that
// are none of these (a "No such key: X" note, an error) are skipped.
func parseDscl(out []byte) []dsclRecord {
	var recs []dsclRecord
	cur := dsclRecord{}
	last := ""
	flush := func() {
		if len(cur) > 0 {
			recs = append(recs, cur)
		}
		cur, last = dsclRecord{}, ""
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), " \t\r")
		switch {
		case line == "":
			continue
		case line == "-":
			flush()
			continue
		case line[0] == ' ' || line[0] == '\t':
			if last != "" {
				cur[last] = append(cur[last], strings.TrimSpace(line))
			}
			continue
		}
		rest := line
		for _, p := range []string{"dsAttrTypeNative:", "dsAttrTypeStandard:"} {
			rest = strings.TrimPrefix(rest, p)
		}
		key, val, ok := strings.Cut(rest, ":")
		if !ok || key == "" || strings.ContainsAny(key, " \t") {
			last = ""
			continue
		}
		last = key
		if _, seen := cur[key]; !seen {
			cur[key] = []string{}
		}
		cur[key] = append(cur[key], strings.Fields(val)...)
	}
	flush()
	return recs
}

// hiddenValue reports whether an IsHidden value hides the user.
func hiddenValue(v string) bool {
	switch strings.ToLower(v) {
	case "1", "yes", "true":
		return true
	}
	return false
}

// ReadDarwinAccounts reads the users and groups of the local directory
// node with `dscl . -readall /Users ...` and `dscl . -readall /Groups
// ...` (run through sys, as gocfg) into a Database: each user's UniqueID,
// PrimaryGroupID, NFSHomeDirectory (the first one when there are
// several, as root's "/var/root /private/var/root"), UserShell and
// RealName (as GECOS); each group's PrimaryGroupID and GroupMembership.
// It is the account database of a live Mac, where /etc/passwd lists only
// the system accounts.
func ReadDarwinAccounts(ctx context.Context, sys system.System) (*accounts.Database, error) {
	a, err := readDarwin(ctx, sys)
	if err != nil {
		return nil, err
	}
	return a.db, nil
}

// readDarwin reads the local directory: the accounts and the users whose
// IsHidden is set (shells are left empty).
func readDarwin(ctx context.Context, sys system.System) (*liveAccounts, error) {
	uout, err := sys.Run(ctx, macos.Query(macos.Dscl, append([]string{".", "-readall", "/Users"}, dsclUserAttrs...)...))
	if err != nil {
		return nil, fmt.Errorf("read the users of the local directory (dscl . -readall /Users): %w", err)
	}
	gout, err := sys.Run(ctx, macos.Query(macos.Dscl, append([]string{".", "-readall", "/Groups"}, dsclGroupAttrs...)...))
	if err != nil {
		return nil, fmt.Errorf("read the groups of the local directory (dscl . -readall /Groups): %w", err)
	}
	a := &liveAccounts{hidden: map[string]bool{}}
	var us []accounts.Account
	for _, r := range parseDscl(uout) {
		name := r.first("RecordName")
		uid, err := strconv.Atoi(r.first("UniqueID"))
		if name == "" || err != nil {
			continue // not an account gocfg can reason about
		}
		gid, err := strconv.Atoi(r.first("PrimaryGroupID"))
		if err != nil {
			gid = staffGID
		}
		us = append(us, accounts.Account{Name: name, UID: uid, GID: gid, GECOS: r.joined("RealName"),
			Home: r.first("NFSHomeDirectory"), Shell: r.first("UserShell")})
		if hiddenValue(r.first("IsHidden")) {
			a.hidden[name] = true
		}
	}
	var gs []accounts.Group
	for _, r := range parseDscl(gout) {
		name := r.first("RecordName")
		gid, err := strconv.Atoi(r.first("PrimaryGroupID"))
		if name == "" || err != nil {
			continue
		}
		gs = append(gs, accounts.Group{Name: name, GID: gid, Members: r["GroupMembership"]})
	}
	a.db = accounts.New(us, gs)
	return a, nil
}

// darwinRun runs one macOS account command as gocfg and returns its
// output; a failure names the command line.
func darwinRun(ctx context.Context, sys system.System, path string, args ...string) ([]byte, error) {
	out, err := sys.Run(ctx, macos.Command(path, args...))
	if err != nil {
		if bytes.Contains(out, []byte("eDSPermissionError")) {
			return out, fmt.Errorf("%s: %w (run as root; over SSH, macOS also wants Full Disk Access for the SSH server, under System Settings > Privacy & Security, or run gocfg from a Terminal on the Mac)", commandLine(path, args), err)
		}
		return out, fmt.Errorf("%s: %w", commandLine(path, args), err)
	}
	return out, nil
}

// commandLine shows a command for an error message.
func commandLine(path string, args []string) string {
	parts := []string{path[strings.LastIndexByte(path, '/')+1:]}
	for _, a := range args {
		if a == "" || strings.ContainsAny(a, " \t'\"") {
			a = strconv.Quote(a)
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

// liveUID asks `id -u <name>` for a user's uid (ok false when there is no
// such user).
func liveUID(ctx context.Context, sys system.System, name string) (int, bool) {
	out, err := sys.Run(ctx, macos.Query(macos.ID, "-u", name))
	if err != nil {
		return 0, false
	}
	uid, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil {
		return 0, false
	}
	return uid, true
}
