package secrets

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"filippo.io/age"
	"filippo.io/age/armor"
)

// A NoMatchError says that none of the identities given to Decrypt can
// open the file: Tried names them (file and key type), Recipients lists
// the kinds of recipients the file is encrypted to.
type NoMatchError struct {
	Tried      []string
	Recipients []string
}

func (e *NoMatchError) Error() string {
	var b strings.Builder
	b.WriteString("none of the identities can decrypt it")
	if len(e.Tried) > 0 {
		b.WriteString(" (tried " + strings.Join(e.Tried, ", ") + ")")
	}
	if len(e.Recipients) > 0 {
		fmt.Fprintf(&b, "; it is encrypted to %d recipient(s): %s", len(e.Recipients), strings.Join(e.Recipients, ", "))
	}
	return b.String()
}

// A CorruptError says the ciphertext is not a valid age file, or was
// changed after encryption.
type CorruptError struct{ Reason string }

func (e *CorruptError) Error() string { return "not a valid age file: " + e.Reason }

// Decrypt decrypts an age file, binary or ASCII-armoured, with the first of
// ids that can. Keys that need no passphrase are tried first. When none
// matches the error is a *NoMatchError; when the file is damaged, a
// *CorruptError. Errors never quote the ciphertext.
func Decrypt(ciphertext []byte, ids []age.Identity) ([]byte, error) {
	if len(ids) == 0 {
		return nil, errors.New("no identity to decrypt with")
	}
	var src io.Reader = bytes.NewReader(ciphertext)
	if Armored(ciphertext) {
		src = armor.NewReader(src)
	} else if !bytes.HasPrefix(ciphertext, []byte(binaryIntro)) {
		return nil, &CorruptError{notAgeReason}
	}
	ordered := slices.Clone(ids)
	slices.SortStableFunc(ordered, func(a, b age.Identity) int {
		return boolInt(isProtected(a)) - boolInt(isProtected(b))
	})
	r, err := age.Decrypt(src, ordered...)
	var noMatch *age.NoIdentityMatchError
	switch {
	case errors.As(err, &noMatch):
		return nil, &NoMatchError{Tried: identityNames(ids), Recipients: noMatch.StanzaTypes}
	case err != nil && isIdentityError(err):
		return nil, err
	case err != nil:
		return nil, &CorruptError{corruptReason(err)}
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		return nil, &CorruptError{"the content does not authenticate (the file was damaged or changed)"}
	}
	return plain, nil
}

// binaryIntro is the first line of a binary age file.
const binaryIntro = "age-encryption.org/v1\n"

// notAgeReason is why a file that starts like no age file is not one.
const notAgeReason = "it starts neither with age-encryption.org/v1 (binary) nor with -----BEGIN AGE ENCRYPTED FILE----- (ASCII armour): it was never encrypted, or not with age"

// isIdentityError tells an identity's own failure (a wrong passphrase, a
// key that needs a terminal), which names its file, from a damaged file.
func isIdentityError(err error) bool {
	var idErr *identityError
	return errors.As(err, &idErr)
}

// An identityError is an identity's own failure; its message names the
// identity's file.
type identityError struct{ err error }

func (e *identityError) Error() string { return e.err.Error() }
func (e *identityError) Unwrap() error { return e.err }

// corruptReason describes a header error without quoting the header.
func corruptReason(err error) string {
	var armorErr *armor.Error
	switch {
	case errors.As(err, &armorErr):
		return "the ASCII armour is damaged"
	case strings.Contains(err.Error(), "bad header MAC"):
		return "the header does not authenticate (the file was damaged or changed)"
	}
	return "the header is malformed"
}

func isProtected(id age.Identity) bool {
	i, ok := id.(*Identity)
	return ok && i.Protected && i.id == nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// identityNames names the identities for a NoMatchError, one entry per
// file (an age key file may hold several keys).
func identityNames(ids []age.Identity) []string {
	var names []string
	for n, id := range ids {
		var name string
		if i, ok := id.(*Identity); ok {
			name = i.Source + " (" + i.Type + ")"
		} else {
			name = fmt.Sprintf("identity %d (%T)", n+1, id)
		}
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	return names
}
