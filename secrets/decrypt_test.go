package secrets

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"filippo.io/age"
)

func TestRoundTrip(t *testing.T) {
	plaintext := []byte("API_TOKEN=s3cr3t-value\n")
	tests := []struct {
		name       string
		key        func(t *testing.T) testKey
		passphrase func(string) ([]byte, error)
	}{
		{"age X25519", ageKey, nil},
		{"age post-quantum", agePQKey, nil},
		{"ed25519 from Go", func(t *testing.T) testKey { return ed25519Key(t, "") }, nil},
		{"ed25519 from ssh-keygen", func(t *testing.T) testKey { return sshKeygen(t, "ed25519", "") }, nil},
		{"rsa from Go", func(t *testing.T) testKey { return rsaKey(t, "") }, nil},
		{"rsa from ssh-keygen", func(t *testing.T) testKey { return sshKeygen(t, "rsa", "") }, nil},
		{"protected ed25519", func(t *testing.T) testKey { return ed25519Key(t, "correct horse") }, fixedPassphrase("correct horse")},
		{"protected ed25519 from ssh-keygen", func(t *testing.T) testKey { return sshKeygen(t, "ed25519", "correct horse") }, fixedPassphrase("correct horse")},
		{"protected rsa", func(t *testing.T) testKey { return rsaKey(t, "correct horse") }, fixedPassphrase("correct horse")},
	}
	for _, tt := range tests {
		for _, armored := range []bool{false, true} {
			name := tt.name + map[bool]string{false: " binary", true: " armoured"}[armored]
			t.Run(name, func(t *testing.T) {
				k := tt.key(t)
				ids, err := ParseIdentities("key", k.private, tt.passphrase)
				if err != nil {
					t.Fatalf("ParseIdentities: %v", err)
				}
				ct, err := Encrypt(plaintext, []age.Recipient{recipient(t, k.public)}, armored)
				if err != nil {
					t.Fatalf("Encrypt: %v", err)
				}
				if Armored(ct) != armored {
					t.Errorf("Armored = %v, want %v", Armored(ct), armored)
				}
				if bytes.Contains(ct, plaintext) {
					t.Fatal("ciphertext contains the plaintext")
				}
				got, err := Decrypt(ct, ids)
				if err != nil {
					t.Fatalf("Decrypt: %v", err)
				}
				if !bytes.Equal(got, plaintext) {
					t.Errorf("Decrypt = %q, want %q", got, plaintext)
				}
				// The identity's recipient is its public key: encrypting to it
				// decrypts too.
				ct2, err := Encrypt(plaintext, []age.Recipient{ids[0].(*Identity).Recipient()}, armored)
				if err != nil {
					t.Fatalf("Encrypt to Identity.Recipient: %v", err)
				}
				if got, err := Decrypt(ct2, ids); err != nil || !bytes.Equal(got, plaintext) {
					t.Errorf("Decrypt(Encrypt(Identity.Recipient)) = %q, %v", got, err)
				}
			})
		}
	}
}

func TestDecryptManyRecipients(t *testing.T) {
	alice, bob, host := ageKey(t), ed25519Key(t, ""), rsaKey(t, "")
	ct, err := Encrypt([]byte("shared"), []age.Recipient{recipient(t, alice.public), recipient(t, bob.public), recipient(t, host.public)}, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []testKey{alice, bob, host} {
		ids, err := ParseIdentities("k", k.private, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := Decrypt(ct, ids); err != nil || string(got) != "shared" {
			t.Errorf("Decrypt = %q, %v", got, err)
		}
	}
}

// A protected key is unlocked only when the file is addressed to it: a
// file another identity opens asks for no passphrase.
func TestPassphraseAskedLazily(t *testing.T) {
	plain, locked := ageKey(t), ed25519Key(t, "pw")
	asked := 0
	ask := func(prompt string) ([]byte, error) {
		asked++
		if !strings.Contains(prompt, "~/.ssh/id_ed25519") {
			t.Errorf("prompt %q does not name the key file", prompt)
		}
		return []byte("pw"), nil
	}
	lockedIDs, err := ParseIdentities("~/.ssh/id_ed25519", locked.private, ask)
	if err != nil {
		t.Fatal(err)
	}
	plainIDs, err := ParseIdentities("~/.config/gocfg/age.key", plain.private, nil)
	if err != nil {
		t.Fatal(err)
	}
	ids := append(lockedIDs, plainIDs...) // the locked one first: still tried last

	forBoth, _ := Encrypt([]byte("both"), []age.Recipient{recipient(t, plain.public), recipient(t, locked.public)}, false)
	if _, err := Decrypt(forBoth, ids); err != nil {
		t.Fatal(err)
	}
	if asked != 0 {
		t.Errorf("passphrase asked %d times for a file the unprotected key opens", asked)
	}
	forLocked, _ := Encrypt([]byte("locked"), []age.Recipient{recipient(t, locked.public)}, false)
	if got, err := Decrypt(forLocked, ids); err != nil || string(got) != "locked" {
		t.Fatalf("Decrypt = %q, %v", got, err)
	}
	if got, err := Decrypt(forLocked, ids); err != nil || string(got) != "locked" {
		t.Fatalf("second Decrypt = %q, %v", got, err)
	}
	if asked != 1 {
		t.Errorf("passphrase asked %d times, want once (the unlocked key is kept)", asked)
	}
}

func TestPassphraseErrors(t *testing.T) {
	locked := ed25519Key(t, "right")
	ct, _ := Encrypt([]byte("x"), []age.Recipient{recipient(t, locked.public)}, false)
	tests := []struct {
		name       string
		passphrase func(string) ([]byte, error)
		want       string
	}{
		{"no terminal", nil, "/root/.ssh/id_ed25519 is protected by a passphrase; gocfg can ask for it only on a terminal"},
		{"wrong", fixedPassphrase("wrong"), "/root/.ssh/id_ed25519: wrong passphrase (3 tries)"},
		{"read error", func(string) ([]byte, error) { return nil, errors.New("EOF") }, "/root/.ssh/id_ed25519: reading the passphrase: EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids, err := ParseIdentities("/root/.ssh/id_ed25519", locked.private, tt.passphrase)
			if err != nil {
				t.Fatalf("ParseIdentities: %v", err)
			}
			_, err = Decrypt(ct, ids)
			if err == nil || err.Error() != tt.want {
				t.Errorf("Decrypt error = %v, want %q", err, tt.want)
			}
		})
	}
	// A wrong passphrase then the right one: asked again, then opens.
	tries := []string{"wrong", "right"}
	ids, _ := ParseIdentities("k", locked.private, func(prompt string) ([]byte, error) {
		p := tries[0]
		tries = tries[1:]
		if p == "right" && !strings.HasPrefix(prompt, "Wrong passphrase.") {
			t.Errorf("second prompt %q does not say the first was wrong", prompt)
		}
		return []byte(p), nil
	})
	if got, err := Decrypt(ct, ids); err != nil || string(got) != "x" {
		t.Errorf("Decrypt after a wrong passphrase = %q, %v", got, err)
	}
}

func TestDecryptErrors(t *testing.T) {
	mine, theirs, host := ageKey(t), ageKey(t), ed25519Key(t, "")
	ct, _ := Encrypt([]byte("for someone else"), []age.Recipient{recipient(t, theirs.public), recipient(t, host.public)}, false)
	armored, _ := Encrypt([]byte("for me"), []age.Recipient{recipient(t, mine.public)}, true)
	binary, _ := Encrypt([]byte("for me"), []age.Recipient{recipient(t, mine.public)}, false)
	myIDs, _ := ParseIdentities("~/.config/gocfg/age.key", mine.private, nil)
	sshIDs, _ := ParseIdentities("~/.ssh/id_ed25519", ed25519Key(t, "").private, nil)
	ids := append(myIDs, sshIDs...)

	_, err := Decrypt(ct, ids)
	var noMatch *NoMatchError
	if !errors.As(err, &noMatch) {
		t.Fatalf("Decrypt with the wrong identities: %v, want a *NoMatchError", err)
	}
	want := "none of the identities can decrypt it (tried ~/.config/gocfg/age.key (X25519), ~/.ssh/id_ed25519 (ssh-ed25519)); it is encrypted to 2 recipient(s): X25519, ssh-ed25519"
	if err.Error() != want {
		t.Errorf("error =\n  %s\nwant\n  %s", err, want)
	}

	flip := func(b []byte, i int) []byte {
		b = bytes.Clone(b)
		b[i] ^= 1
		return b
	}
	corrupt := map[string][]byte{
		"plaintext":          []byte("API_TOKEN=hunter2\n"),
		"empty":              nil,
		"truncated":          binary[:len(binary)-5],
		"payload bit":        flip(binary, len(binary)-3),
		"header MAC bit":     bytes.Replace(binary, []byte("--- "), []byte("--- A"), 1),
		"armour damaged":     bytes.Replace(armored, []byte("-----END AGE"), []byte("-----END XGE"), 1),
		"stanza line broken": bytes.Replace(binary, []byte("-> X25519 "), []byte("-> hunter2\x01 "), 1),
	}
	for name, ct := range corrupt {
		t.Run(name, func(t *testing.T) {
			_, err := Decrypt(ct, ids)
			var c *CorruptError
			if !errors.As(err, &c) {
				t.Fatalf("Decrypt = %v, want a *CorruptError", err)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error quotes the file: %v", err)
			}
		})
	}
	if _, err := Decrypt(binary, nil); err == nil {
		t.Error("Decrypt with no identity succeeded")
	}
}

func TestCiphertextHash(t *testing.T) {
	got := CiphertextHash([]byte("abc"))
	if got != "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("CiphertextHash = %s", got)
	}
	if !Armored([]byte("\n  -----BEGIN AGE ENCRYPTED FILE-----\n")) || Armored([]byte("age-encryption.org/v1\n")) {
		t.Error("Armored is wrong")
	}
}
