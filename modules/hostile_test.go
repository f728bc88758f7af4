package modules_test

import (
	"os"
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

// unreadableFixtures writes a folder of three entry modules, each of
// which reads something the caller then makes unreadable: file.hcl reads
// file with file(), import.hcl imports module, folder.hcl imports the
// folder mods (mods/a.hcl, and mods/b.hcl to be made). Their # ERROR
// comments expect the import of the folder to fail with folderError.
func unreadableFixtures(t *testing.T, file, module, folderError string) string {
	t.Helper()
	return writeFiles(t, map[string]string{
		"file.hcl": `option "x" {
  type = str
}
x = file("./` + file + `") # ERROR: Error in function call
`,
		"import.hcl": `imports = [
  "./` + module + `", # ERROR: Cannot import
]
`,
		"folder.hcl": `imports = [
  "./mods", # ERROR: ` + folderError + `
]
`,
		"mods/a.hcl": "",
	})
}

// TestHostileLargeFiles: file() and modules are read up to
// loader.MaxFileSize; a larger file is refused before it is read.
func TestHostileLargeFiles(t *testing.T) {
	dir := unreadableFixtures(t, "big.txt", "big.hcl", "Cannot read module")
	for _, name := range []string{"big.txt", "big.hcl", "mods/b.hcl"} {
		// Sparse: no disk space, and reading it would take all of it.
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(loader.MaxFileSize + 1); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	for _, entry := range []string{"file.hcl", "import.hcl", "folder.hcl"} {
		t.Run(entry, func(t *testing.T) {
			checkInvalidFixture(t, filepath.Join(dir, entry))
		})
	}
	ev, diags := modules.Load(modules.Options{Entry: filepath.Join(dir, "file.hcl"), Host: testHost})
	if !diags.HasErrors() {
		_, diags = ev.All()
	}
	if !strings.Contains(diags.Error(), "big.txt: larger than 16 MiB") {
		t.Errorf("the error does not name the file and the limit: %s", diags.Error())
	}
	// Exactly the limit is fine.
	if err := os.Truncate(filepath.Join(dir, "big.txt"), loader.MaxFileSize); err != nil {
		t.Fatal(err)
	}
	if _, err := loader.ReadFile(filepath.Join(dir, "big.txt")); err != nil {
		t.Errorf("a file of exactly MaxFileSize: %v", err)
	}
}

// TestHostileUnicodeKeys: two file targets that differ only in Unicode
// normalization (raw bytes here, no escapes) were silently merged into
// one, the other dropped. Now the second definition is an error naming
// both spellings, also when they come from different modules.
func TestHostileUnicodeKeys(t *testing.T) {
	const nfc, nfd = ".caf\u00e9", ".cafe\u0301"
	dir := writeFiles(t, map[string]string{
		"default.hcl": `imports = ["./other.hcl"]
home "alice" {
  files "` + nfc + `" { text = "one" }
}
`,
		"other.hcl": `home "alice" {
  files = {
    "` + nfd + `" = { text = "two" } # ERROR: Same name in two Unicode spellings
  }
}
`,
		"one.hcl": `option "x" {
  type = attrs_of(str)
}
x = {
  ` + nfd[1:] + ` = "a"
  "` + nfc[1:] + `" = "b" # ERROR: Same name in two Unicode spellings
}
`,
	})
	checkInvalidFixture(t, filepath.Join(dir, "one.hcl"))
	ev, diags := modules.Load(modules.Options{Entry: filepath.Join(dir, "default.hcl"), Host: testHost})
	if !diags.HasErrors() {
		_, diags = ev.All()
	}
	if len(diags) != 1 {
		t.Fatalf("diagnostics: %v", diags)
	}
	d := diags[0]
	if d.Subject == nil || filepath.Base(d.Subject.Filename) != "other.hcl" || d.Subject.Start.Line != 3 {
		t.Errorf("subject %v, want other.hcl line 3", d.Subject)
	}
	for _, want := range []string{`".cafe\u0301"`, `".caf\u00e9"`, "default.hcl:3:3", "NFC normalization", "use one spelling"} {
		if !strings.Contains(d.Detail, want) {
			t.Errorf("detail does not say %s: %s", want, d.Detail)
		}
	}
}

// TestUnicodeKeyOneSpelling: a key written in one spelling only, not in
// NFC, is fine; it is the NFC key in values and in config references.
func TestUnicodeKeyOneSpelling(t *testing.T) {
	dir := writeFiles(t, map[string]string{"default.hcl": decls + `users "jose` + "\u0301" + `" {
  shell = "/bin/zsh"
}
users "b" {
  shell = config.users["jos` + "\u00e9" + `"].shell
}
`})
	got, diags := evalJSON(t, dir, "users", false)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if want := `{"b":{"groups":[],"shell":"/bin/zsh"},"jos` + "\u00e9" + `":{"groups":[],"shell":"/bin/zsh"}}`; got != want {
		t.Errorf("users = %s", got)
	}
}
