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
// memory, a FIFO would block forever.
func ForModule(dir string) map[string]function.Function {
	resolve := func(p string) (string, error) {
		if filepath.IsAbs(p) {
			return filepath.Clean(p), nil
		}
		if dir == "" {
			return "", fmt.Errorf("a built-in module has no folder to resolve %q against", p)
		}
		return filepath.Join(dir, p), nil
	}
	return map[string]function.Function{
		"file": function.New(&function.Spec{
			Description: "The text of a file, relative to this module's folder.",
			Params:      []function.Parameter{{Name: "path", Type: cty.String}},
			Type:        function.StaticReturnType(cty.String),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				p, err := resolve(args[0].AsString())
				if err != nil {
					return cty.NilVal, err
				}
				b, err := loader.ReadFile(p)
				if err != nil {
					if errors.Is(err, loader.ErrTooLarge) {
						return cty.NilVal, fmt.Errorf("%w; deploy a large file with source = path instead", err)
					}
					return cty.NilVal, err
				}
				if !utf8.Valid(b) {
					return cty.NilVal, fmt.Errorf("%s: not UTF-8 text; use a source = path instead", p)
				}
				return cty.StringVal(string(b)), nil
			},
		}),
		"path": function.New(&function.Spec{
			Description: "An absolute path, relative to this module's folder.",
			Params:      []function.Parameter{{Name: "path", Type: cty.String}},
			Type:        function.StaticReturnType(cty.String),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				p, err := resolve(args[0].AsString())
				if err != nil {
					return cty.NilVal, err
				}
				return cty.StringVal(p), nil
			},
		}),
	}
}
