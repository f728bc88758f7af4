package secrets

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"slices"

	"filippo.io/age"
	"filippo.io/age/agessh"
	"golang.org/x/crypto/ssh"
)

// An Identity is one decryption key read from a file. It implements
// age.Identity and remembers where it came from, so errors can say which
// keys were tried (by file name and key type) without quoting them.
type Identity struct {
	// Source is the name of the file the key was read from, as the
	// caller gave it to ParseIdentities.
	Source string
	// Line is the key's line in an age key file (which may hold several
	// keys), 0 for an SSH key.
	Line int
	// Type is the key type: "X25519", "mlkem768x25519" (age's
	// post-quantum hybrid), "ssh-ed25519" or "ssh-rsa".
	Type string
	// Protected is set for a passphrase-protected SSH key.
	Protected bool

	id         age.Identity // nil while a protected key is still locked
	recipient  age.Recipient
	sshPub     ssh.PublicKey
	pem        []byte
	passphrase func(prompt string) ([]byte, error)
}

var _ age.Identity = (*Identity)(nil)

// passphraseTries is how many passphrases are asked for before giving up.
const passphraseTries = 3

// String names the identity for messages: its file and type, never its
// content.
func (i *Identity) String() string {
	s := i.Source
	if i.Line > 0 {
		s += fmt.Sprintf(":%d", i.Line)
	}
	t := i.Type
	if i.Protected {
		t += ", passphrase-protected"
	}
	return s + " (" + t + ")"
}

// Recipient returns the public key matching the identity: what a file
// must be encrypted to for this identity to decrypt it.
func (i *Identity) Recipient() age.Recipient { return i.recipient }

// Unwrap implements age.Identity. A protected key asks for its passphrase
// only when one of the stanzas is addressed to it.
func (i *Identity) Unwrap(stanzas []*age.Stanza) ([]byte, error) {
	if i.id == nil {
		if !i.sshStanzaMatches(stanzas) {
			return nil, age.ErrIncorrectIdentity
		}
		if err := i.unlock(); err != nil {
			return nil, &identityError{err}
		}
	}
	key, err := i.id.Unwrap(stanzas)
	if err != nil && !errors.Is(err, age.ErrIncorrectIdentity) {
		return nil, &identityError{fmt.Errorf("%s: %w", i.Source, err)}
	}
	return key, err
}

// sshStanzaMatches reports whether a stanza is addressed to the SSH key:
// same type and the 4-byte fingerprint tag age writes as its first
// argument.
func (i *Identity) sshStanzaMatches(stanzas []*age.Stanza) bool {
	tag := sshTag(i.sshPub)
	return slices.ContainsFunc(stanzas, func(s *age.Stanza) bool {
		return s.Type == i.Type && len(s.Args) > 0 && s.Args[0] == tag
	})
}

// unlock asks for the passphrase of a protected key and decrypts it.
func (i *Identity) unlock() error {
	if i.passphrase == nil {
		return fmt.Errorf("%s is protected by a passphrase; gocfg can ask for it only on a terminal", i.Source)
	}
	prompt := fmt.Sprintf("Enter passphrase for %s: ", i.Source)
	for range passphraseTries {
		pass, err := i.passphrase(prompt)
		if err != nil {
			return fmt.Errorf("%s: reading the passphrase: %w", i.Source, err)
		}
		key, err := ssh.ParseRawPrivateKeyWithPassphrase(i.pem, pass)
		clear(pass)
		if errors.Is(err, x509.IncorrectPasswordError) {
			prompt = fmt.Sprintf("Wrong passphrase. Enter passphrase for %s: ", i.Source)
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: the key cannot be opened with this passphrase", i.Source)
		}
		id, _, pub, err := sshIdentity(key)
		if err != nil {
			return fmt.Errorf("%s: %w", i.Source, err)
		}
		if want, ok := i.sshPub.(ssh.CryptoPublicKey); !ok || !pub.Equal(want.CryptoPublicKey()) {
			return fmt.Errorf("%s: the private key does not match the public key stored with it", i.Source)
		}
		i.id = id
		return nil
	}
	return fmt.Errorf("%s: wrong passphrase (%d tries)", i.Source, passphraseTries)
}

// sshIdentity turns a parsed SSH private key into an age identity, with
// its SSH type and public key.
func sshIdentity(key any) (age.Identity, string, interface{ Equal(crypto.PublicKey) bool }, error) {
	switch k := key.(type) {
	case *ed25519.PrivateKey:
		return sshIdentity(*k)
	case ed25519.PrivateKey:
		id, err := agessh.NewEd25519Identity(k)
		return id, "ssh-ed25519", k.Public().(ed25519.PublicKey), err
	case *rsa.PrivateKey:
		id, err := agessh.NewRSAIdentity(k)
		return id, "ssh-rsa", &k.PublicKey, err
	}
	return nil, "", nil, fmt.Errorf("%s; age uses only ed25519 and RSA SSH keys", sshKeyKind(key))
}

// sshKeyKind names an unsupported SSH private key type.
func sshKeyKind(key any) string {
	switch key.(type) {
	case *ecdsa.PrivateKey:
		return "an ECDSA key"
	}
	return "an unsupported key type"
}
