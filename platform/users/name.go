package users

import (
	"strconv"
	"strings"
)

// NameProblem says why name can be no account's name on any system ("":
// it can be one): it is empty, "." or "..", or holds a "/", a NUL or
// another control character. An account's name becomes a path (its home
// folder, gocfg's store area for it, the roots of its files), so such a
// name would lead somewhere else, or nowhere.
//
// Both backends' own rules (validName) start with it, and the files
// provider checks the keys of home.<name> with it alone: a home may be
// that of an account gocfg did not make, whose name need not follow
// shadow's or macOS's rules for new names (a capital, a dot), but must
// still be a name.
func NameProblem(name string) string {
	switch {
	case name == "":
		return "the name is empty"
	case name == "." || name == "..":
		return `the name may not be "." or ".."`
	case strings.Contains(name, "/"):
		return `the name may not contain "/"`
	}
	for _, r := range name {
		if r < 0x20 || r >= 0x7f && r < 0xa0 {
			return "the name may not contain the control character " + strconv.QuoteRune(r)
		}
	}
	return ""
}
