package secrets

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"filippo.io/age"

	agesecrets "github.com/gocfg/gocfg/secrets"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// loadIdentities reads the identity files paths through sys, in order,
// skipping those that do not exist. A passphrase-protected SSH key fails
// when a file addressed to it is decrypted: there is no terminal here.
func loadIdentities(sys system.System, paths []string) ([]age.Identity, error) {
	var ids []age.Identity
	for _, p := range paths {
		data, err := sys.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read the identity: %w", err)
		}
		got, err := agesecrets.ParseIdentities(p, data, nil)
		if err != nil {
			return nil, err
		}
		ids = append(ids, got...)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%w: none of %s exists", errNoIdentity, strings.Join(paths, ", "))
	}
	return ids, nil
}

// errNoIdentity is the cause of loadIdentities' error when none of the
// identity files exists.
var errNoIdentity = errors.New("no identity to decrypt with")

// decrypt checks that ciphertext is the one planned (its hash) and
// decrypts it with ids.
func decrypt(ciphertext []byte, hash string, ids []age.Identity) ([]byte, error) {
	if got := agesecrets.CiphertextHash(ciphertext); got != hash {
		return nil, fmt.Errorf("the ciphertext is %s, not the %s planned: %w", short(got), short(hash), platform.ErrUnchanged)
	}
	return agesecrets.Decrypt(ciphertext, ids)
}
