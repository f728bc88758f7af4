package secrets

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strings"

	"filippo.io/age"
	"filippo.io/age/agessh"
	"golang.org/x/crypto/ssh"
)

// maxIdentityFile bounds an identity file, as age does.
const maxIdentityFile = 1 << 24

// ParseIdentities parses the decryption keys in one file named name (used
// only in messages): an age key file (lines AGE-SECRET-KEY-1…, with empty
// lines and # comments), or an OpenSSH ed25519 or RSA private key. A
// passphrase-protected SSH key is accepted without its passphrase; it is
// asked for through passphrase only when a file to decrypt is addressed to
// that key. With a nil passphrase such a key fails then, saying it can be
// unlocked only on a terminal.
//
// Every element of the result is an *Identity. An error names the file and
// the line, never quotes it.
func ParseIdentities(name string, data []byte, passphrase func(prompt string) ([]byte, error)) ([]age.Identity, error) {
	if len(data) > maxIdentityFile {
		return nil, fmt.Errorf("%s: too large for a key file", name)
	}
	if bytes.Contains(data, []byte("-----BEGIN ")) && bytes.Contains(data, []byte("PRIVATE KEY-----")) {
		id, err := parseSSHIdentity(name, data, passphrase)
		if err != nil {
			return nil, err
		}
		return []age.Identity{id}, nil
	}
	return parseAgeIdentities(name, data)
}

// parseAgeIdentities reads an age key file.
func parseAgeIdentities(name string, data []byte) ([]age.Identity, error) {
	var ids []age.Identity
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, maxIdentityFile)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, err := parseAgeIdentity(line)
		if err != nil {
			return nil, fmt.Errorf("%s: line %d: %w", name, n, err)
		}
		id.Source, id.Line = name, n
		ids = append(ids, id)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: not a key file (a line is too long)", name)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%s: no key in it (expected an age key, AGE-SECRET-KEY-1…, or an OpenSSH private key)", name)
	}
	return ids, nil
}

// parseAgeIdentity parses one line of an age key file. Its errors never
// quote the line.
func parseAgeIdentity(line string) (*Identity, error) {
	switch {
	case strings.HasPrefix(line, "AGE-SECRET-KEY-PQ-1"):
		k, err := age.ParseHybridIdentity(line)
		if err != nil {
			return nil, errors.New("not a valid age post-quantum secret key")
		}
		return &Identity{Type: "mlkem768x25519", id: k, recipient: k.Recipient()}, nil
	case strings.HasPrefix(line, "AGE-SECRET-KEY-1"):
		k, err := age.ParseX25519Identity(line)
		if err != nil {
			return nil, errors.New("not a valid age secret key")
		}
		return &Identity{Type: "X25519", id: k, recipient: k.Recipient()}, nil
	case strings.HasPrefix(line, "age1"), strings.HasPrefix(line, "ssh-"):
		return nil, errors.New("a public key (a recipient), not a private key; an identity file holds the private key")
	}
	return nil, errors.New("neither an age secret key (AGE-SECRET-KEY-1…) nor an OpenSSH private key")
}

// parseSSHIdentity reads an OpenSSH private key file.
func parseSSHIdentity(name string, data []byte, passphrase func(string) ([]byte, error)) (*Identity, error) {
	key, err := ssh.ParseRawPrivateKey(data)
	var missing *ssh.PassphraseMissingError
	if errors.As(err, &missing) {
		if missing.PublicKey == nil {
			return nil, fmt.Errorf("%s: a passphrase-protected key in the old PEM format, which does not say its public key; convert it with ssh-keygen -p -f %s", name, name)
		}
		t := missing.PublicKey.Type()
		if t != "ssh-ed25519" && t != "ssh-rsa" {
			return nil, fmt.Errorf("%s: a %s key; age uses only ed25519 and RSA SSH keys", name, t)
		}
		r, err := agessh.ParseRecipient(string(ssh.MarshalAuthorizedKey(missing.PublicKey)))
		if err != nil {
			return nil, fmt.Errorf("%s: its public key is not usable by age", name)
		}
		return &Identity{
			Source: name, Type: t, Protected: true,
			recipient: r, sshPub: missing.PublicKey,
			pem: bytes.Clone(data), passphrase: passphrase,
		}, nil
	}
	if err != nil {
		// ssh's messages may quote the PEM block type: say only what failed.
		return nil, fmt.Errorf("%s: not a usable OpenSSH private key", name)
	}
	id, t, _, err := sshIdentity(key)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var r age.Recipient
	switch k := id.(type) {
	case *agessh.Ed25519Identity:
		r = k.Recipient()
	case *agessh.RSAIdentity:
		r = k.Recipient()
	}
	return &Identity{Source: name, Type: t, id: id, recipient: r}, nil
}
