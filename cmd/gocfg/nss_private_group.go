package main

import (
	"context"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// nssPrivateGroup reports whether gid is the private group of uid as the
// machine's name service reports them (getent: LDAP, SSSD, FreeIPA's
// automatic private groups), for an account or a group that /etc/passwd
// or /etc/group does not hold: the group is named as the account, whose
// primary group it is, and lists no other member. Reviewer R8: such a
// user with umask 002 (Fedora's and RHEL's default with private groups)
// had every 0664 file of her own configuration refused. Without getent,
// or when it does not answer within two seconds (a name service down),
// the answer is no: the group counts as others'.
func nssPrivateGroup(uid, gid int) bool {
	getent, err := exec.LookPath("getent")
	if err != nil {
		return false
	}
	ask := func(db string, id int) []string {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, getent, db, strconv.Itoa(id)).Output()
		if err != nil {
			return nil
		}
		line, _, _ := strings.Cut(string(out), "\n")
		return strings.Split(line, ":")
	}
	pw := ask("passwd", uid) // name:x:uid:gid:...
	if len(pw) < 4 || pw[2] != strconv.Itoa(uid) || pw[3] != strconv.Itoa(gid) {
		return false
	}
	gr := ask("group", gid) // name:x:gid:member,member
	if len(gr) < 4 || gr[2] != strconv.Itoa(gid) || gr[0] != pw[0] {
		return false
	}
	for _, m := range strings.Split(gr[3], ",") {
		if m != "" && m != pw[0] {
			return false
		}
	}
	return true
}
