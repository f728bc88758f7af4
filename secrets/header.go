package secrets

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"strings"

	"filippo.io/age"
	"filippo.io/age/armor"
	"golang.org/x/crypto/ssh"
)

// EncryptedTo reports whether ciphertext is provably encrypted to exactly
// the recipients keys (age1… or SSH public key lines), no more and no
// fewer: what `gocfg secrets rekey` checks to leave a file alone.
//
// An SSH stanza names its key by a fingerprint tag, so it is checked
// against the keys directly. An X25519 stanza says nothing of its
// recipient; it is attributed only by unwrapping it with one of ids. So a
// file with an X25519 recipient the caller holds no identity for is never
// proven, and false means "re-encrypt to be sure", not "different".
func EncryptedTo(ciphertext []byte, keys []string, ids []age.Identity) (bool, error) {
	stanzas, err := headerStanzas(ciphertext)
	if err != nil {
		return false, err
	}
	if len(stanzas) != len(keys) {
		return false, nil
	}
	matched := make([]bool, len(keys))
	for _, s := range stanzas {
		k := stanzaKey(s, keys, ids)
		if k < 0 || matched[k] {
			return false, nil
		}
		matched[k] = true
	}
	return true, nil
}

// stanzaKey returns the index in keys of the recipient s is for, or -1.
func stanzaKey(s *age.Stanza, keys []string, ids []age.Identity) int {
	switch s.Type {
	case "ssh-ed25519", "ssh-rsa":
		if len(s.Args) == 0 {
			return -1
		}
		for n, k := range keys {
			if pk, _, _, _, err := ssh.ParseAuthorizedKey([]byte(k)); err == nil && pk.Type() == s.Type && sshTag(pk) == s.Args[0] {
				return n
			}
		}
	case "X25519", "mlkem768x25519":
		for _, id := range ids {
			i, ok := id.(*Identity)
			if !ok || i.id == nil || i.Type != s.Type {
				continue
			}
			str, ok := i.recipient.(interface{ String() string })
			if !ok {
				continue
			}
			n := indexKey(keys, str.String())
			if n < 0 {
				continue
			}
			if _, err := i.id.Unwrap([]*age.Stanza{s}); err == nil {
				return n
			}
		}
	}
	return -1
}

func indexKey(keys []string, key string) int {
	for n, k := range keys {
		if strings.TrimSpace(k) == key {
			return n
		}
	}
	return -1
}

// sshTag is the fingerprint tag age writes in an SSH stanza.
func sshTag(pk ssh.PublicKey) string {
	h := sha256.Sum256(pk.Marshal())
	return base64.RawStdEncoding.EncodeToString(h[:4])
}

// CheckHeader says why ciphertext is not an age file (a *CorruptError;
// nil when its header parses): a plaintext never encrypted, or a damaged
// file. It needs no key, so a plan and gocfg check refuse a plaintext
// before a generation stores it.
func CheckHeader(ciphertext []byte) error {
	_, err := headerStanzas(ciphertext)
	return err
}

// headerStanzas returns the recipient stanzas of an age file's header.
func headerStanzas(ciphertext []byte) ([]*age.Stanza, error) {
	var src io.Reader = bytes.NewReader(ciphertext)
	if Armored(ciphertext) {
		src = armor.NewReader(src)
	} else if !bytes.HasPrefix(ciphertext, []byte(binaryIntro)) {
		return nil, &CorruptError{notAgeReason}
	}
	spy := &stanzaSpy{}
	_, err := age.Decrypt(src, spy)
	var noMatch *age.NoIdentityMatchError
	if !errors.As(err, &noMatch) {
		return nil, &CorruptError{corruptReason(err)}
	}
	return spy.stanzas, nil
}

// A stanzaSpy is an identity that matches nothing and keeps the stanzas
// it was shown.
type stanzaSpy struct{ stanzas []*age.Stanza }

func (s *stanzaSpy) Unwrap(stanzas []*age.Stanza) ([]byte, error) {
	s.stanzas = stanzas
	return nil, age.ErrIncorrectIdentity
}
