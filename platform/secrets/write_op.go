package secrets

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"

	"filippo.io/age"

	"github.com/gocfg/gocfg/platform/system"
)

// WriteOp decrypts one secret and writes it into a set: the stored
// ciphertext Cipher (checked against Hash) is decrypted with the
// identity files, written to a temporary file (root's, 0400), given its
// owner and mode, and renamed to Dir/Name. The journal holds these
// paths, never the plaintext. Undo removes the file.
type WriteOp struct {
	Name       string   `json:"name"`
	Dir        string   `json:"dir"`
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
}

// Describe says what the op does.
func (o *WriteOp) Describe() string {
	return fmt.Sprintf("decrypt secret %s (ciphertext %s) into %s", o.Name, short(o.Hash), o.Dir)
}

func (o *WriteOp) final() string { return filepath.Join(o.Dir, o.Name) }
func (o *WriteOp) temp() string  { return filepath.Join(o.Dir, ".tmp-"+o.Name) }

// Apply decrypts and writes the secret.
func (o *WriteOp) Apply(_ context.Context, sys system.System) error {
	mode, err := parseMode(o.Mode)
	if err != nil {
		return err
	}
	ct, err := sys.ReadFile(o.Cipher)
	if err != nil {
		return fmt.Errorf("secret %s: read the stored ciphertext: %w", o.Name, err)
	}
	ids := o.ids
	if ids == nil {
		if ids, err = loadIdentities(sys, o.Identities); err != nil {
			return fmt.Errorf("secret %s: %w", o.Name, err)
		}
	}
	plain, err := decrypt(ct, o.Hash, ids)
	if err != nil {
		return fmt.Errorf("secret %s: %w", o.Name, err)
	}
	defer clear(plain)
	tmp := o.temp()
	if err := sys.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := sys.WriteNewFile(tmp, plain, 0o400); err != nil {
		return err
	}
	if o.UID >= 0 || o.GID >= 0 {
		if err := sys.Lchown(tmp, o.UID, o.GID); err != nil {
			return err
		}
	}
	if err := sys.Chmod(tmp, mode); err != nil {
		return err
	}
	return sys.Rename(tmp, o.final())
}

// Undo removes the file (and a temporary one left behind).
func (o *WriteOp) Undo(_ context.Context, sys system.System) error {
	for _, p := range []string{o.temp(), o.final()} {
		if err := sys.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// parseMode reads an octal mode such as "0400" (permission bits only).
func parseMode(s string) (fs.FileMode, error) {
	m, err := strconv.ParseUint(s, 8, 32)
	if err != nil || m > 0o777 {
		return 0, fmt.Errorf("mode %q: not an octal permission such as \"0400\"", s)
	}
	return fs.FileMode(m), nil
}
