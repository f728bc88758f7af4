package secrets

import (
	"errors"
	"regexp"
	"strings"
	"sync"

	"filippo.io/age"
	"filippo.io/age/agessh"
)

// errPrivateKey is ParseRecipient's error for a private key given where a
// public one belongs. It says what to give instead, never the key.
var errPrivateKey = errors.New("a private key, not a public one: give its public key (age-keygen -y FILE, or the .pub file of an SSH key)")

// ParseRecipient parses one public key to encrypt to: an age X25519
// recipient (age1…), an age post-quantum recipient (age1pq1…), or an
// OpenSSH ssh-ed25519 or ssh-rsa public key line (a trailing comment is
// allowed), as in authorized_keys or ssh_host_ed25519_key.pub. Errors do
// not quote s: a private key pasted by mistake must not end up in a log.
func ParseRecipient(s string) (age.Recipient, error) {
	s = strings.TrimSpace(s)
	// First, so that a private key is called one whatever precedes it.
	if looksLikePrivateKey(s) {
		return nil, errPrivateKey
	}
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
	case strings.HasPrefix(s, "ecdsa-"), strings.HasPrefix(s, "sk-"), strings.HasPrefix(s, "ssh-dss "):
		return nil, errors.New("age encrypts only to ed25519 and RSA SSH keys; use the ssh-ed25519 key (ssh-keyscan -t ed25519)")
	}
	return nil, errors.New("not a recipient: expected an age public key (age1…) or an ssh-ed25519 or ssh-rsa public key")
}

// privateKeyMarker matches what private keys hold and public keys never
// do: an age identity (AGE-SECRET-KEY-1…, AGE-SECRET-KEY-PQ-1…) or age
// plugin identity (AGE-PLUGIN-YUBIKEY-1…), in any case as bech32 allows;
// the armour of a PEM or OpenSSH private key (-----BEGIN … PRIVATE
// KEY-----); the start of an OpenSSH key's body, "openssh-key-v1" in
// base64, for a key pasted without its armour; the private part of a
// PuTTY key.
var privateKeyMarker = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i:AGE-SECRET-KEY-|AGE-PLUGIN-[A-Z0-9._-]*1)|PRIVATE KEY|` + openSSHKeyBody + `|Private-Lines:`)
})

// openSSHKeyBody is how the body of an OpenSSH private key starts.
const openSSHKeyBody = "b3BlbnNzaC1rZXktdjE"

// looksLikePrivateKey reports whether s holds a private key, or part of
// one: such a text must be reported without being shown.
func looksLikePrivateKey(s string) bool { return privateKeyMarker().MatchString(s) }
