package secrets

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"filippo.io/age"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
	agesecrets "github.com/gocfg/gocfg/secrets"
)

// A Decryption is how a secret's plaintext is made, as WriteOp (into a
// set) and HomeFile (into a home) journal it: the stored ciphertext
// Cipher (checked against Hash) is decrypted with the identity files,
// written to a temporary file (root's, 0400), given its owner (UID,
// GID: -1 for both leaves it root's) and mode, and renamed into place.
type Decryption struct {
	Cipher     string   `json:"cipher"`
	Hash       string   `json:"hash"`
	Identities []string `json:"identities"`
	UID        int      `json:"uid"`
	GID        int      `json:"gid"`
	Mode       string   `json:"mode"`
	// ids, when set, are identities read by the command (--root
	// --secrets --identity FILE), used instead of Identities; they are
	// not journaled.
	ids []age.Identity
	// keyless: the command was to give the keys and gave none
	// (WithoutCommandIdentities); a failure for want of a key is
	// platform.ErrNeedsKeys.
	keyless bool
}

// write decrypts the secret and writes it to path through tmp; label
// names the secret in errors.
func (d *Decryption) write(sys system.System, label, tmp, path string) error {
	mode, err := parseMode(d.Mode)
	if err != nil {
		return err
	}
	plain, err := d.plaintext(sys, label)
	if err != nil {
		return err
	}
	defer clear(plain)
	if err := sys.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := sys.WriteNewFile(tmp, plain, 0o400); err != nil {
		return err
	}
	if d.UID >= 0 || d.GID >= 0 {
		if err := sys.Lchown(tmp, d.UID, d.GID); err != nil {
			return err
		}
	}
	if err := sys.Chmod(tmp, mode); err != nil {
		return err
	}
	return sys.Rename(tmp, path)
}

// commandIDsKey keys the identities WithCommandIdentities puts in a
// context.
type commandIDsKey struct{}

// WithCommandIdentities returns ctx with the identities in the files
// paths (read with sys: this machine's files), for the ops run under it:
// the recovery of a switch interrupted under --root --secrets --identity
// FILE puts its users' earlier secrets back with them, as the switch did.
// Ops do not journal keys, so without them the undo read the tree's own
// identity files, which need not hold the key, and left the new
// plaintext in the home (tester T).
func WithCommandIdentities(ctx context.Context, sys system.System, paths []string) (context.Context, error) {
	ids, err := loadIdentities(sys, paths)
	if err != nil {
		return ctx, &IdentityFlagError{err}
	}
	return context.WithValue(ctx, commandIDsKey{}, ids), nil
}

// An IdentityFlagError is an --identity file that gives no key (tester
// U: "none of /nonexist exists" came with no hint).
type IdentityFlagError struct{ Err error }

func (e *IdentityFlagError) Error() string { return "--identity: " + e.Err.Error() }
func (e *IdentityFlagError) Unwrap() error { return e.Err }

// Hint says what --identity takes.
func (e *IdentityFlagError) Hint() string {
	return "give --identity the path of a key file on this machine: an age key (age-keygen -o FILE) or an unencrypted OpenSSH ed25519 or RSA private key"
}

// noCommandIDsKey keys WithoutCommandIdentities' mark in a context.
type noCommandIDsKey struct{}

// WithoutCommandIdentities returns ctx for the ops of a recovery under
// --root that was given no --identity: the keys of the switch it
// recovers came from the command line, so a secret that does not
// decrypt with the tree's own identity files is not one for which the
// user lost her key, but one this command cannot undo: the undo fails
// with platform.ErrNeedsKeys, and the journal is kept for a command
// that has them (tester AX).
func WithoutCommandIdentities(ctx context.Context) context.Context {
	return context.WithValue(ctx, noCommandIDsKey{}, true)
}

// fromCommand takes, for a decryption decoded from a journal (which has
// none), the command's identities in ctx (WithCommandIdentities), or its
// want of them (WithoutCommandIdentities).
func (d *Decryption) fromCommand(ctx context.Context) {
	if ids, ok := ctx.Value(commandIDsKey{}).([]age.Identity); ok && d.ids == nil {
		d.ids = ids
	}
	if none, _ := ctx.Value(noCommandIDsKey{}).(bool); none && d.ids == nil {
		d.keyless = true
	}
}

// plaintext decrypts the secret; label names it in errors. The caller
// clears what it returns.
func (d *Decryption) plaintext(sys system.System, label string) ([]byte, error) {
	ct, err := sys.ReadFile(d.Cipher)
	if err != nil {
		return nil, fmt.Errorf("%s: read the stored ciphertext: %w", label, err)
	}
	ids := d.ids
	if ids == nil {
		if ids, err = loadIdentities(sys, d.Identities); err != nil {
			return nil, d.needsKeys(fmt.Errorf("%s: %w", label, err))
		}
	}
	plain, err := decrypt(ct, d.Hash, ids)
	if err != nil {
		return nil, d.needsKeys(fmt.Errorf("%s: %w", label, err))
	}
	return plain, nil
}

// needsKeys marks err, a decryption's failure for want of a key, with
// platform.ErrNeedsKeys when the keys were to come from the command
// (keyless).
func (d *Decryption) needsKeys(err error) error {
	var nm *agesecrets.NoMatchError
	if d.keyless && (errors.Is(err, errNoIdentity) || errors.As(err, &nm)) {
		return fmt.Errorf("%w: %w", err, platform.ErrNeedsKeys)
	}
	return err
}

// holdsPlain reports whether the file at path, which another account may
// change, holds plain: a regular file (sys.Open refuses anything else)
// read to at most one byte more than plain.
func holdsPlain(sys system.System, path string, plain []byte) (bool, error) {
	f, err := sys.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	live, err := io.ReadAll(io.LimitReader(f, int64(len(plain))+1))
	defer clear(live)
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(live, plain) == 1, nil
}
