package modules_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/modules/loader"
)

// Hostile module input (issue 10): a configuration repository may come
// from someone else. Each test here crashed or stalled gocfg before the
// limit it checks existed. Fixtures too large to commit are written
// here, with the same `# ERROR:` markers as testdata/invalid.

// hostileNesting is 70,000 nested parentheses, which overflowed the
// stack inside hclsyntax (a fatal error, not a panic).
func hostileNesting() string {
	const n = 70000
	return "option \"x\" {\n  type = int\n}\nx = " + strings.Repeat("(", n) + "1" + strings.Repeat(")", n) + " # ERROR: Nesting deeper than 500 levels; split the expression up\n"
}

func TestHostileNesting(t *testing.T) {
	dir := writeFiles(t, map[string]string{"default.hcl": hostileNesting()})
	checkInvalidFixture(t, filepath.Join(dir, "default.hcl"))
}

// TestHostileNestingImported: the limit holds for imported modules too,
// and the error is in the imported file.
func TestHostileNestingImported(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"default.hcl": `imports = ["./deep.hcl"]`,
		"deep.hcl":    hostileNesting(),
	})
	checkInvalidFixture(t, filepath.Join(dir, "deep.hcl"))
	_, diags := modules.Load(modules.Options{Entry: filepath.Join(dir, "default.hcl"), Host: testHost})
	if len(diags) != 1 || diags[0].Subject == nil || filepath.Base(diags[0].Subject.Filename) != "deep.hcl" || diags[0].Subject.Start.Line != 4 || diags[0].Subject.Start.Column != 5+loader.MaxNesting {
		t.Errorf("diagnostics: %v", diags)
	}
}
