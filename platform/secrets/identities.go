package secrets

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"filippo.io/age"

	agesecrets "github.com/gocfg/gocfg/secrets"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// maxIdentityFile bounds an identity file the switch reads: 64 KiB,
// hundreds of age identities or several SSH keys. A home's identity
// files are its user's to fill, and root's gocfg reads them at every
// plan (tester S: 16 MiB of post-quantum identities, which age's own
// limit allows, took 3.6 GB and 45 s, and got root's gocfg killed).
const maxIdentityFile = 64 << 10

// loadIdentities reads the identity files paths through sys, in order,
// skipping those that do not exist. A passphrase-protected SSH key fails
// when a file addressed to it is decrypted: there is no terminal here.
// A file over maxIdentityFile is an error, found without reading more
// of it.
func loadIdentities(sys system.System, paths []string) ([]age.Identity, error) {
	var ids []age.Identity
	for _, p := range paths {
		data, err := readIdentityFile(sys, p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
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

// ReadIdentityFile reads the identity file p, a regular file (sys.Open
// refuses a FIFO or a device before a read could block, and a folder is
// refused here), to at most maxIdentityFile bytes: the switch's
// identities and the --identity files of `gocfg secrets` alike. Its
// errors are *fs.PathError, for p.
func ReadIdentityFile(sys system.System, p string) ([]byte, error) {
	f, err := sys.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, ok := f.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if fi, err := st.Stat(); err == nil && fi.IsDir() {
			return nil, &fs.PathError{Op: "read", Path: p, Err: errors.New("a folder, not a key file")}
		}
	}
	data, err := io.ReadAll(io.LimitReader(f, maxIdentityFile+1))
	var pe *fs.PathError
	if err != nil && !errors.As(err, &pe) {
		err = &fs.PathError{Op: "read", Path: p, Err: err}
	}
	if err != nil {
		return nil, err
	}
	if len(data) > maxIdentityFile {
		clear(data)
		return nil, &fs.PathError{Op: "read", Path: p, Err: fmt.Errorf("over %d KiB, more than identity files hold (an age or SSH identity is a few hundred bytes): not read", maxIdentityFile>>10)}
	}
	return data, nil
}

// readIdentityFile is ReadIdentityFile, its errors as the switch words
// them.
func readIdentityFile(sys system.System, p string) ([]byte, error) {
	data, err := ReadIdentityFile(sys, p)
	var pe *fs.PathError
	switch {
	case err == nil || errors.Is(err, fs.ErrNotExist):
		return data, err
	case errors.As(err, &pe) && pe.Op == "read":
		return nil, fmt.Errorf("%s: %w", p, pe.Err)
	}
	return nil, fmt.Errorf("read the identity: %w", err)
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
