package loader

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// An EntryError says that no entry module was found, and where gocfg
// looked.
type EntryError struct {
	Location string
	Tried    []string
	Err      error
}

func (e *EntryError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Location, e.Err)
	}
	return fmt.Sprintf("%s: no entry module (tried %s)", e.Location, strings.Join(e.Tried, ", "))
}

func (e *EntryError) Unwrap() error { return e.Err }

// ResolveEntry turns a configuration location (a file or a folder) into
// the entry module's file: a file is used as it is; in a folder,
// `hosts/<host>.hcl` when host is not empty and that file exists, else
// `default.hcl`.
func ResolveEntry(location, host string) (string, error) {
	abs, err := filepath.Abs(location)
	if err != nil {
		return "", &EntryError{Location: location, Err: err}
	}
	st, err := os.Stat(abs)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", &EntryError{Location: location, Err: errors.New("no such file or folder")}
		}
		return "", &EntryError{Location: location, Err: err}
	}
	if !st.IsDir() {
		return abs, nil
	}
	var tried []string
	if host != "" {
		p := filepath.Join(abs, "hosts", host+".hcl")
		tried = append(tried, p)
		if isFile(p) {
			return p, nil
		}
	}
	p := filepath.Join(abs, "default.hcl")
	tried = append(tried, p)
	if isFile(p) {
		return p, nil
	}
	return "", &EntryError{Location: location, Tried: tried}
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
