package loader

import (
	"github.com/gocfg/gocfg/modules/syntax"
	"github.com/hashicorp/hcl/v2"
)

// A Module is one parsed `.hcl` file.
type Module struct {
	// Path is the absolute file name, or "<builtin>/..." for a built-in
	// module. It is also the file name in every hcl.Range of the module.
	Path string
	// Dir is the folder relative paths in the module are resolved
	// against; empty for built-in modules.
	Dir string
	// Builtin is true for modules embedded in the binary.
	Builtin bool
	// Index is the module's position in module order.
	Index int
	// Body is the module's syntax tree.
	Body *syntax.Body
	// Source is the file's content, for diagnostics. The names and
	// strings of Body share its bytes (they are not copies): it must
	// not be changed.
	Source []byte
	// NoObjects is set when the parser found no object constructor of
	// two items or more in Body, which then has no duplicate keys to
	// look for.
	NoObjects bool

	imports []importRef
}

// importRef is one resolved entry of a module's imports list: the files it
// names (a folder names several), in order.
type importRef struct {
	files []string
	rng   hcl.Range // the entry in the imports list
}
