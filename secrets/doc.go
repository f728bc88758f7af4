// Package secrets is gocfg's age layer (issue 16): it parses decryption
// identities (age X25519 key files and OpenSSH ed25519/RSA private keys,
// passphrase-protected ones unlocked lazily), decrypts and encrypts age
// files (binary or ASCII-armoured), parses recipients (age1… and
// ssh-ed25519/ssh-rsa public key lines) and reads secrets.hcl, the file at
// the root of a dotfiles repository that lists each secret's recipients
// (what `gocfg secrets edit` and `gocfg secrets rekey` encrypt to).
//
// It works on bytes only. Reading identity and secret files is the
// caller's business: the switch reads them through the System seam,
// confined in homes (DESIGN.md §7); the `gocfg secrets` commands read the
// user's own files.
//
// Secret material never reaches an error message: a file that fails to
// parse as a key is named and described ("line 3: not an age secret key"),
// never quoted, since it may be a secret, or, read by root, someone else's
// file. Which identities were tried is said by file name and key type.
// A private key pasted into secrets.hcl is reported at the name it is
// given, and the source diagnostics show is the file with its private
// keys masked (MaskPrivateKeys).
// Ciphertext is public and is identified by CiphertextHash, which is what
// generations record instead of any content.
package secrets
