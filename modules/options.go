package modules

import (
	"io/fs"
	"os"
)

// Host describes the machine the configuration is for: the `host` object
// of expressions.
type Host struct {
	OS   string // "linux" or "darwin"
	Arch string // GOARCH, such as "amd64" or "arm64"
	Name string // the selected host name
	User string // the invoking user
}

// Options says what to load.
type Options struct {
	// Entry is the entry module's file (see loader.ResolveEntry). Empty
	// loads the built-in modules alone.
	Entry string
	Host  Host
	// Getenv backs env(); nil means os.Getenv.
	Getenv func(string) string
	// Builtins replaces the built-in modules (nil: builtin.FS).
	Builtins fs.FS
	// NoBuiltins leaves the built-in modules out (for tests of the
	// language itself).
	NoBuiltins bool
	// WorkDir, when set, makes file names in messages relative to it.
	WorkDir string
}

func (o Options) getenv() func(string) string {
	if o.Getenv != nil {
		return o.Getenv
	}
	return os.Getenv
}
