package funcs

import (
	"errors"
	"fmt"
	"path/filepath"
	"unicode/utf8"

	"github.com/gocfg/gocfg/modules/loader"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// ForModule returns the functions whose meaning depends on the module's
// folder: file(p) reads a file and path(p) makes an absolute path, both
// relative to dir. For built-in modules (dir == "") both fail. file()
// reads only regular files of at most loader.MaxFileSize bytes, as
// modules themselves are read: a device such as /dev/zero would fill
// memory, a FIFO would block forever. read reads the file (nil:
// loader.ReadFile).
func ForModule(dir string, read func(string) ([]byte, error)) map[string]function.Function {
	if read == nil {
		read = loader.ReadFile
	}
	resolve := func(p string) (string, error) {
		if filepath.IsAbs(p) {
			return filepath.Clean(p), nil
		}
		if dir == "" {
			return "", fmt.Errorf("a built-in module has no folder to resolve %q against", p)
		}
		return filepath.Join(dir, p), nil
	}
	// resolved is a function of a path relative to dir that returns
	// the string f makes of it, resolved.
	resolved := func(description string, f func(p string) (string, error)) function.Function {
		return function.New(&function.Spec{
			Description: description,
			Params:      []function.Parameter{{Name: "path", Type: cty.String}},
			Type:        function.StaticReturnType(cty.String),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				p, err := resolve(args[0].AsString())
				if err != nil {
					return cty.NilVal, err
				}
				s, err := f(p)
				if err != nil {
					return cty.NilVal, err
				}
				return cty.StringVal(s), nil
			},
		})
	}
	return map[string]function.Function{
		"file": resolved("The text of a file, relative to this module's folder; not a secret gocfg decrypted (under /run/gocfg or a user's $XDG_RUNTIME_DIR/gocfg).", func(p string) (string, error) {
			if err := refuseSecret(p); err != nil {
				return "", err
			}
			return readText(read, p)
		}),
		"path": resolved("An absolute path, relative to this module's folder.", func(p string) (string, error) { return p, nil }),
	}
}

// readText reads the file p, which must be UTF-8 text.
func readText(read func(string) ([]byte, error), p string) (string, error) {
	b, err := read(p)
	if err != nil {
		if errors.Is(err, loader.ErrTooLarge) {
			return "", fmt.Errorf("%w; deploy a large file with source = path instead", err)
		}
		return "", err
	}
	if !utf8.Valid(b) {
		return "", fmt.Errorf("%s: not UTF-8 text; use a source = path instead", p)
	}
	return string(b), nil
}
