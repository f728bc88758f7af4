package secrets

import (
	"errors"
	"strings"

	"filippo.io/age"
	"filippo.io/age/agessh"
)

// ParseRecipient parses one public key to encrypt to: an age X25519
// recipient (age1…), an age post-quantum recipient (age1pq1…), or an
// OpenSSH ssh-ed25519 or ssh-rsa public key line (a trailing comment is
// allowed), as in authorized_keys or ssh_host_ed25519_key.pub. Errors do
// not quote s: a private key pasted by mistake must not end up in a log.
func ParseRecipient(s string) (age.Recipient, error) {
	s = strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(s, "age1pq1"):
		r, err := age.ParseHybridRecipient(s)
		if err != nil {
			return nil, errors.New("not a valid age post-quantum recipient")
		}
		return r, nil
	case strings.HasPrefix(s, "age1"):
		r, err := age.ParseX25519Recipient(s)
		if err != nil {
			return nil, errors.New("not a valid age recipient (age1…)")
		}
		return r, nil
	case strings.HasPrefix(s, "ssh-ed25519 "), strings.HasPrefix(s, "ssh-rsa "):
		r, err := agessh.ParseRecipient(s)
		if err != nil {
			return nil, errors.New("not a valid " + s[:strings.IndexByte(s, ' ')] + " public key")
		}
		return r, nil
	case strings.HasPrefix(s, "AGE-SECRET-KEY-"), strings.Contains(s, "PRIVATE KEY"):
		return nil, errors.New("a private key, not a public one: give its public key (age-keygen -y FILE, or the .pub file of an SSH key)")
	case strings.HasPrefix(s, "ecdsa-"), strings.HasPrefix(s, "sk-"), strings.HasPrefix(s, "ssh-dss "):
		return nil, errors.New("age encrypts only to ed25519 and RSA SSH keys; use the ssh-ed25519 key (ssh-keyscan -t ed25519)")
	}
	return nil, errors.New("not a recipient: expected an age public key (age1…) or an ssh-ed25519 or ssh-rsa public key")
}
