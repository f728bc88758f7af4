package secrets

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"filippo.io/age"
	"golang.org/x/crypto/ssh"
)

// testKey is a private key file's bytes and its public key line.
type testKey struct {
	private []byte
	public  string
}

func ageKey(t *testing.T) testKey {
	t.Helper()
	k, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return testKey{
		private: []byte("# created: 2026-12-02T11:00:00Z\n# public key: " + k.Recipient().String() + "\n" + k.String() + "\n"),
		public:  k.Recipient().String(),
	}
}

func agePQKey(t *testing.T) testKey {
	t.Helper()
	k, err := age.GenerateHybridIdentity()
	if err != nil {
		t.Fatal(err)
	}
	return testKey{private: []byte(k.String() + "\n"), public: k.Recipient().String()}
}

func sshKey(t *testing.T, priv any, passphrase string) testKey {
	t.Helper()
	var block *pem.Block
	var err error
	if passphrase == "" {
		block, err = ssh.MarshalPrivateKey(priv, "test@gocfg")
	} else {
		block, err = ssh.MarshalPrivateKeyWithPassphrase(priv, "test@gocfg", []byte(passphrase))
	}
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return testKey{
		private: pem.EncodeToMemory(block),
		public:  strings.TrimSpace(string(ssh.MarshalAuthorizedKey(signer.PublicKey()))) + " test@gocfg",
	}
}

func ed25519Key(t *testing.T, passphrase string) testKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return sshKey(t, priv, passphrase)
}

var (
	rsaOnce sync.Once
	rsaPriv *rsa.PrivateKey
)

func rsaKey(t *testing.T, passphrase string) testKey {
	t.Helper()
	rsaOnce.Do(func() {
		var err error
		rsaPriv, err = rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
	})
	return sshKey(t, rsaPriv, passphrase)
}

func ecdsaKey(t *testing.T) testKey {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return sshKey(t, priv, "")
}

// sshKeygen makes a key with the real ssh-keygen, as users do.
func sshKeygen(t *testing.T, typ, passphrase string) testKey {
	t.Helper()
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		t.Skip("no ssh-keygen")
	}
	path := filepath.Join(t.TempDir(), "id_"+typ)
	out, err := exec.Command("ssh-keygen", "-q", "-t", typ, "-N", passphrase, "-C", "user@host", "-f", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	priv, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := os.ReadFile(path + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	return testKey{private: priv, public: strings.TrimSpace(string(pub))}
}

func recipient(t *testing.T, s string) age.Recipient {
	t.Helper()
	r, err := ParseRecipient(s)
	if err != nil {
		t.Fatalf("ParseRecipient: %v", err)
	}
	return r
}

func fixedPassphrase(p string) func(string) ([]byte, error) {
	return func(string) ([]byte, error) { return []byte(p), nil }
}
