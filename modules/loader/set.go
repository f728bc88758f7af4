package loader

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// A Set is every module of one configuration, in module order.
type Set struct {
	Modules []*Module
	// Entry is the entry module (nil when only built-ins were loaded).
	Entry *Module
	// WorkDir, when set, makes Display show paths relative to it.
	WorkDir string
	// Reader read the modules, and reads the files of file() calls
	// (nil: ReadFile).
	Reader Reader
	byPath map[string]*Module
}

// Source returns the content of a module file, for diagnostics.
func (s *Set) Source(filename string) []byte {
	if m := s.byPath[filename]; m != nil {
		return m.Source
	}
	return nil
}

// UserModules counts the modules that are not built in.
func (s *Set) UserModules() int {
	n := 0
	for _, m := range s.Modules {
		if !m.Builtin {
			n++
		}
	}
	return n
}

// Display shows a module file name for people: relative to WorkDir when
// it lies below it, as it is otherwise.
func (s *Set) Display(filename string) string { return displayPath(s.WorkDir, filename) }

func displayPath(workDir, filename string) string {
	if workDir == "" || strings.HasPrefix(filename, BuiltinPrefix) {
		return filename
	}
	rel, err := filepath.Rel(workDir, filename)
	if err != nil || strings.HasPrefix(rel, "..") {
		return filename
	}
	return rel
}

// Ref shows where a range starts: file:line:column.
func (s *Set) Ref(r hcl.Range) string {
	return fmt.Sprintf("%s:%d:%d", s.Display(r.Filename), r.Start.Line, r.Start.Column)
}
