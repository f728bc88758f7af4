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

// PasswordHint is the hint of a value that is not a hash.
const PasswordHint = "make one with mkpasswd -m yescrypt (Debian package whois) or openssl passwd -6, and never write the password itself"

// ValidHash reports whether hash is what a password option may be (a
// crypt(3) hash, "!" or "*"; see passwordRE).
func ValidHash(hash string) bool { return passwordRE().MatchString(hash) }

// checkPasswords adds the problems of users.<name>'s password options:
// a value that is no hash (not repeated: it may be the password itself),
// and both options set.
func checkPasswords(ps *problems, name string, u User) {
	for _, o := range []struct {
		field string
		hash  *string
	}{{"hashed_password", u.HashedPassword}, {"initial_hashed_password", u.InitialHashedPassword}} {
		if o.hash != nil && !passwordRE().MatchString(*o.hash) {
			*ps = append(*ps, &platform.ConfigError{Option: userOption(name, o.field), Secret: true, Hint: PasswordHint,
				Msg: `not a crypt(3) password hash, nor "!" or "*" to lock password logins`})
		}
	}
	if u.HashedPassword != nil && u.InitialHashedPassword != nil {
		ps.add(userOption(name, "initial_hashed_password"), "keep hashed_password to set the password at every switch, or initial_hashed_password to set it once and leave it to the user",
			"set together with hashed_password, which gocfg sets at every switch: initial_hashed_password would never be used")
	}
	if f := u.HashedPasswordFile; f != nil {
		if u.HashedPassword != nil || u.InitialHashedPassword != nil {
			ps.add(userOption(name, "hashed_password_file"), "keep one password option",
				"set together with hashed_password or initial_hashed_password: the account has one password")
		}
		absolute(ps, userOption(name, "hashed_password_file"), "write the file's whole path, such as config.age.secrets.<name>.path", *f)
	}
}

// passwordOption is the password option of u that gocfg acts on, by its
// field name ("" when neither is set): hashed_password at every switch,
// initial_hashed_password only when it creates the account.
func (u User) passwordOption() (field string, hash *string) {
	switch {
	case u.HashedPassword != nil:
		return "hashed_password", u.HashedPassword
	case u.InitialHashedPassword != nil:
		return "initial_hashed_password", u.InitialHashedPassword
	}
	return "", nil
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
