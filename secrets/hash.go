package secrets

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"

	"filippo.io/age/armor"
)

// Armored reports whether ciphertext is an ASCII-armoured age file
// (-----BEGIN AGE ENCRYPTED FILE-----, leading whitespace allowed).
func Armored(ciphertext []byte) bool {
	return bytes.HasPrefix(bytes.TrimLeft(ciphertext, " \t\r\n"), []byte(armor.Header))
}

// CiphertextHash identifies a ciphertext as "sha256:<hex>" of its bytes as
// stored: what generations, plan and status record and compare instead of
// the plaintext. Re-encrypting the same plaintext changes it.
func CiphertextHash(ciphertext []byte) string {
	sum := sha256.Sum256(ciphertext)
	return "sha256:" + hex.EncodeToString(sum[:])
}
