package funcs

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// referenceRow is a row of a table in docs/functions.md: `name(args)`,
// then what the function does.
var referenceRow = regexp.MustCompile("^\\| `([a-z0-9_]+)\\(([^)]*)\\)` \\| (.*) \\|$")

// TestFunctionReference fails when docs/functions.md does not list
// exactly the functions a module can call (Base and ForModule), each
// once, with a description and the arguments the function takes: as
// many as its parameters, and more (name..., or several) only when it
// takes a variable number.
func TestFunctionReference(t *testing.T) {
	ref := filepath.Join("..", "..", "docs", "functions.md")
	src, err := os.ReadFile(ref)
	if err != nil {
		t.Fatal(err)
	}
	table := Base(nil)
	maps.Copy(table, ForModule("", nil))
	listed := map[string]bool{}
	for i, line := range strings.Split(string(src), "\n") {
		m := referenceRow.FindStringSubmatch(line)
		if m == nil {
			if strings.HasPrefix(line, "| `") {
				t.Errorf("%s:%d: a row not of the form | `name(args)` | description |", ref, i+1)
			}
			continue
		}
		name, args, what := m[1], m[2], strings.TrimSpace(m[3])
		if listed[name] {
			t.Errorf("%s:%d: %s is listed twice", ref, i+1, name)
		}
		listed[name] = true
		fn, ok := table[name]
		if !ok {
			t.Errorf("%s:%d: %s is listed, but no module can call it", ref, i+1, name)
			continue
		}
		if what == "" {
			t.Errorf("%s:%d: %s has no description", ref, i+1, name)
		}
		var names []string
		if args != "" {
			names = strings.Split(args, ", ")
		}
		params, variadic := len(fn.Params()), fn.VarParam() != nil
		switch {
		case !variadic && len(names) != params:
			t.Errorf("%s:%d: %s(%s) takes %d arguments", ref, i+1, name, args, params)
		case !variadic && strings.HasSuffix(args, "..."):
			t.Errorf("%s:%d: %s(%s) takes a fixed number of arguments", ref, i+1, name, args)
		case variadic && len(names) < params:
			t.Errorf("%s:%d: %s(%s) takes at least %d arguments", ref, i+1, name, args, params)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(table)) {
		if !listed[name] {
			t.Errorf("%s: modules can call %s, which is not listed", ref, name)
		}
	}
}
