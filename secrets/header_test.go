package secrets

import (
	"errors"
	"testing"

	"filippo.io/age"
)

func TestEncryptedTo(t *testing.T) {
	alice, bob, web1, web2 := ageKey(t), ageKey(t), ed25519Key(t, ""), rsaKey(t, "")
	aliceIDs, _ := ParseIdentities("alice.key", alice.private, nil)
	encrypt := func(keys ...testKey) []byte {
		var rs []age.Recipient
		for _, k := range keys {
			rs = append(rs, recipient(t, k.public))
		}
		ct, err := Encrypt([]byte("x"), rs, len(keys)%2 == 0)
		if err != nil {
			t.Fatal(err)
		}
		return ct
	}
	keys := func(ks ...testKey) []string {
		var s []string
		for _, k := range ks {
			s = append(s, k.public)
		}
		return s
	}
	tests := []struct {
		name string
		ct   []byte
		keys []string
		want bool
	}{
		{"same ssh keys", encrypt(web1, web2), keys(web2, web1), true},
		{"same, X25519 we hold", encrypt(alice, web1), keys(alice, web1), true},
		{"X25519 we do not hold", encrypt(bob, web1), keys(bob, web1), false},
		{"a recipient added", encrypt(alice, web1), keys(alice, web1, web2), false},
		{"a recipient removed", encrypt(alice, web1, web2), keys(alice, web1), false},
		{"ssh key replaced", encrypt(alice, web1), keys(alice, web2), false},
		{"X25519 key replaced, same count", encrypt(bob, web1), keys(alice, web1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := EncryptedTo(tt.ct, tt.keys, aliceIDs)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("EncryptedTo = %v, want %v", got, tt.want)
			}
		})
	}
	_, err := EncryptedTo([]byte("plain text"), keys(alice), aliceIDs)
	var c *CorruptError
	if !errors.As(err, &c) {
		t.Errorf("EncryptedTo(plaintext) = %v, want a *CorruptError", err)
	}
}
