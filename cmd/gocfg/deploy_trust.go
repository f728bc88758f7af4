package main

import "errors"

// untrustedProgram gives an error of untrustedFile about what runs
// programs (a gocfg binary, an ssh_config) its own hint: chmod is no
// remedy there, since what another user could change may have been
// changed already (tester AY).
func untrustedProgram(err error) error {
	var he hintError
	if errors.As(err, &he) {
		return withHints(he.err, "copy it from a source you trust, or build it again, into a folder that only you or root can write: another user may have changed it already")
	}
	return err
}
