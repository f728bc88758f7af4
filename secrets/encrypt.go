package secrets

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"filippo.io/age"
	"filippo.io/age/armor"
)

// Encrypt encrypts plaintext to every recipient, ASCII-armoured when armor
// is set (the form that diffs and pastes well), else binary.
func Encrypt(plaintext []byte, recipients []age.Recipient, armored bool) ([]byte, error) {
	if len(recipients) == 0 {
		return nil, errors.New("no recipient to encrypt to")
	}
	var buf bytes.Buffer
	var dst io.WriteCloser = nopCloser{&buf}
	if armored {
		dst = armor.NewWriter(&buf)
	}
	w, err := age.Encrypt(dst, recipients...)
	if err != nil {
		return nil, fmt.Errorf("encrypting: %w", err)
	}
	if _, err := w.Write(plaintext); err != nil {
		return nil, fmt.Errorf("encrypting: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("encrypting: %w", err)
	}
	if err := dst.Close(); err != nil {
		return nil, fmt.Errorf("encrypting: %w", err)
	}
	return buf.Bytes(), nil
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
