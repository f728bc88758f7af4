package generations

import (
	"bytes"
	"errors"
	"fmt"
)

// DecodeRecord decodes data, the content of the record file path (a
// meta.json, resources.json or journal.json), into v with unmarshal
// (encoding/json's Unmarshal or one that behaves the same). A file that
// is empty, holds only white space or NUL bytes (what a power loss
// leaves of a file whose size reached the disk before its data), is not
// one JSON object, or does not decode into v is a *DamagedError: its
// zero values are never taken for what it says.
func DecodeRecord(path string, data []byte, unmarshal func([]byte, any) error, v any) error {
	if err := checkObject(data); err != nil {
		return &DamagedError{Path: path, Err: err}
	}
	if err := unmarshal(data, v); err != nil {
		return &DamagedError{Path: path, Err: fmt.Errorf("truncated or not the JSON gocfg writes: %w", err)}
	}
	return nil
}

// checkObject says why data cannot be one JSON object, or returns nil.
func checkObject(data []byte) error {
	if len(data) == 0 {
		return errors.New("the file is empty")
	}
	if len(bytes.Trim(data, "\x00")) == 0 {
		return errors.New("the file holds only NUL bytes")
	}
	rest := bytes.TrimLeft(data, " \t\r\n")
	if len(rest) == 0 {
		return errors.New("the file holds only white space")
	}
	if rest[0] != '{' {
		return errors.New("the file is not a JSON object")
	}
	return nil
}
