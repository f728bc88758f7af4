package users

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"sync"

	"github.com/gocfg/gocfg/platform"
)

// passwordRE is what users.<name>.hashed_password may be: a crypt(3)
// hash ("$id$salt$hash", "$6$rounds=N$salt$hash", yescrypt's
// "$y$params$salt$hash"), "!" or "*" to lock password logins, or a hash
// locked with "!" in front. Never empty (anyone could log in without a
// password), never a ":" or a blank (a line break would write other
// lines of /etc/shadow through chpasswd).
var passwordRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(!|\*|!?\$[0-9a-z]+(\$[^$:\s]+)+)$`)
})

// passwordHint is the hint of a value that is not a hash.
const passwordHint = "make one with mkpasswd -m yescrypt (Debian package whois) or openssl passwd -6, and never write the password itself"

// checkPassword adds the problem of users.<name>.hashed_password being
// no hash. The value is not repeated: it may be the password itself.
func checkPassword(ps *problems, name, hash string) {
	if !passwordRE().MatchString(hash) {
		*ps = append(*ps, &platform.ConfigError{Option: userOption(name, "hashed_password"), Secret: true, Hint: passwordHint,
			Msg: `not a crypt(3) password hash, nor "!" or "*" to lock password logins`})
	}
}

// passwordLabel is what generations diff compares of a hash: "(unset)",
// "(locked)", or a fingerprint of it (the first 8 hex digits of its
// sha256: two hashes differ, and neither is shown). recdiff shows a
// field named like a password as "(sensitive)" anyway.
func passwordLabel(hash *string) string {
	switch {
	case hash == nil:
		return "(unset)"
	case *hash == "!" || *hash == "*":
		return "(locked)"
	}
	sum := sha256.Sum256([]byte(*hash))
	return "(hash " + hex.EncodeToString(sum[:4]) + ")"
}
