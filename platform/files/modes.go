package files

import (
	"fmt"
	"io/fs"
	"strconv"
)

// File modes: which files are private, and when a mode makes a file a
// copy.

// defaultEtcMode is the default of environment.etc.<path>.mode. An /etc
// file with another mode is a copy whatever its method, as NixOS does: a
// link's content is readable by everyone, so a link cannot honour it.
const defaultEtcMode fs.FileMode = 0o644

// isPrivate reports whether a file of mode m is private: its mode denies
// others read.
func isPrivate(m fs.FileMode) bool { return m&0o004 == 0 }

// parseMode reads an octal mode option such as "0600".
func parseMode(option, s string) (fs.FileMode, error) {
	m, err := strconv.ParseUint(s, 8, 32)
	if err != nil || m > 0o7777 {
		return 0, &ConfigError{Option: option, Msg: fmt.Sprintf("%q is not an octal file mode", s), Hint: "write it like \"0644\""}
	}
	if m > 0o777 {
		// They would be dropped on the way to chmod(2): refused rather
		// than ignored.
		return 0, &ConfigError{Option: option, Msg: fmt.Sprintf("%q sets the setuid, setgid or sticky bit, which gocfg does not set", s),
			Hint: "use permission bits only, such as \"0755\""}
	}
	return fs.FileMode(m), nil
}

// etcMethod is the method of an /etc file with mode m: a mode other than
// the default makes a link a copy. modeCopy says the mode decided it.
func etcMethod(method string, m fs.FileMode) (resolved string, modeCopy bool) {
	if method == "" {
		method = "link"
	}
	if method == "link" && m != defaultEtcMode {
		return "copy", true
	}
	return method, false
}
