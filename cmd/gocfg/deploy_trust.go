package main

import (
	"fmt"

	"github.com/gocfg/gocfg/internal/pathtrust"
)

// What another user could do through a file the deploy runs programs
// from, and what to do instead: chmod is no remedy there, since what
// she could change she may have changed already (tester AY).
const (
	sshConfigSo   = "another user could make ssh run her commands as you (ProxyCommand, LocalCommand, Match exec)"
	sshConfigHint = "copy it into ~/.ssh (yours, chmod go-w), and use the copy"
	binarySo      = "another user could have the hosts run her program as root"
	binaryHint    = "copy it from a source you trust, or build it again (scripts/release.sh), into a folder that only you or root can write"
)

// untrustedRunner is the error for a file that runs programs, as the
// deploying user (an ssh_config) or as root on the hosts (a gocfg
// binary), that another user could change or put in place: what it is,
// the place on its way and why (pathtrust.Exposure, links followed),
// what she could do (so), and what to do (hint). nil when no one could
// (trustPolicy: root and the user gocfg runs as, under sudo the sudo
// user).
func untrustedRunner(env *Env, path, what, so, hint string) error {
	where, why, err := fileExposure(env, path)
	switch {
	case err != nil || where == "":
		return err
	case pathtrust.Unlooked(why):
		return withHints(fmt.Errorf("%s: %s %s, so gocfg cannot tell whether another user could change it", what, where, why), hint)
	}
	return withHints(fmt.Errorf("%s: %s %s, so %s", what, where, why, so), hint)
}
