package main

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// nssPrivateGroup says whether gid is the private group of uid as the
// machine's name service reports them (getent: LDAP, SSSD, FreeIPA's
// automatic private groups), for an account or a group that /etc/passwd
// or /etc/group does not hold: the group is named as the account, whose
// primary group it is, and lists no other member; name is the account's.
// Reviewer R8: such a user with umask 002 (Fedora's and RHEL's default
// with private groups) had every 0664 file of her own configuration
// refused. The caller still asks the local files (reviewer R9: a local
// account with that gid as its primary group). What the name service
// cannot tell is not checked: another directory account with that
// primary gid, or members SSSD hides (ignore_group_members). Without
// getent, or when it does not answer within two seconds (a name service
// down), the answer is no: the group counts as others'.
func nssPrivateGroup(uid, gid int) (name string, private bool) {
	pw := getent("passwd", strconv.Itoa(uid)) // name:x:uid:gid:...
	if len(pw) < 4 || pw[2] != strconv.Itoa(uid) || pw[3] != strconv.Itoa(gid) {
		return "", false
	}
	gr := getent("group", strconv.Itoa(gid)) // name:x:gid:member,member
	if len(gr) < 4 || gr[2] != strconv.Itoa(gid) || gr[0] != pw[0] {
		return "", false
	}
	for _, m := range strings.Split(gr[3], ",") {
		if m != "" && m != pw[0] {
			return "", false
		}
	}
	return pw[0], true
}

// nssUID is the uid the name service gives the account name (-1: none,
// or no getent).
func nssUID(name string) int {
	pw := getent("passwd", name)
	if len(pw) < 3 || pw[0] != name {
		return -1
	}
	uid, err := strconv.Atoi(pw[2])
	if err != nil {
		return -1
	}
	return uid
}

// getent is the first line of getent's answer for key in the database
// db, split at its colons; nil without getent, or when it does not
// answer within two seconds (a name service down).
func getent(db, key string) []string {
	prog := findGetent()
	if prog == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), getentTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, prog, db, "--", key)
	// What a name service module started and left holding getent's
	// output does not hold gocfg past the timeout either.
	cmd.WaitDelay = getentTimeout / 10
	out, err := cmd.Output()
	if err != nil {
		return nil
	}
	line, _, _ := strings.Cut(string(out), "\n")
	return strings.Split(line, ":")
}

// getentTimeout is how long getent may take to answer.
var getentTimeout = 2 * time.Second

// findGetent finds the getent to run (getentProgram; a test's fake).
var findGetent = getentProgram

// getentProgram is the getent to run: the system's (/usr/bin, /bin),
// else, for an ordinary user only, the one on her PATH. Root's gocfg
// does not take one from a PATH sudo may have kept from its caller
// (reviewer R9): its answer decides whom root trusts.
func getentProgram() string {
	for _, p := range []string{"/usr/bin/getent", "/bin/getent"} {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	if os.Geteuid() == 0 {
		return ""
	}
	p, err := exec.LookPath("getent")
	if err != nil {
		return ""
	}
	return p
}
