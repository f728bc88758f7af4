package secrets

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"

	"github.com/gocfg/gocfg/platform/system"
)

// WriteOp decrypts one secret and writes it into a set: the stored
// ciphertext Cipher (checked against Hash) is decrypted with the
// identity files, written to a temporary file (root's, 0400), given its
// owner and mode, and renamed to Dir/Name. The journal holds these
// paths, never the plaintext. Undo removes the file.
type WriteOp struct {
	Name string `json:"name"`
	Dir  string `json:"dir"`
	Decryption
}

// Describe says what the op does.
func (o *WriteOp) Describe() string {
	return fmt.Sprintf("decrypt secret %s (ciphertext %s) into %s", o.Name, short(o.Hash), o.Dir)
}

func (o *WriteOp) final() string { return filepath.Join(o.Dir, o.Name) }
func (o *WriteOp) temp() string  { return filepath.Join(o.Dir, ".tmp-"+o.Name) }

// Apply decrypts and writes the secret.
func (o *WriteOp) Apply(_ context.Context, sys system.System) error {
	return o.write(sys, "secret "+o.Name, o.temp(), o.final())
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
