package modgen

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// EntryFile is the name of the entry module Write creates.
const EntryFile = "default.hcl"

// ModulesDir is the folder, under the directory given to Write, that holds
// the generated modules and that the entry module imports.
const ModulesDir = "modules"

// SharedUser is the user every generated module adds a group to.
const SharedUser = "shared"

// Write generates the benchmark workload of m modules in dir (created when
// missing) and returns the path of its entry module. m must be at least 1.
func Write(dir string, m int) (entry string, err error) {
	if _, err := writeModules(dir, m, "hcl", writeModule); err != nil {
		return "", err
	}
	entry = filepath.Join(dir, EntryFile)
	if err := writeFile(entry, writeEntry); err != nil {
		return "", err
	}
	return entry, nil
}

// WriteWith is Write with more modules in ModulesDir: extra maps a file
// name to its text. The generated modules are ModulesDir/m<i>.hcl with i
// zero-padded, loaded in name order, so a name places a module in the
// load order: "m0700z.hcl" right after m0700.hcl, "z.hcl" last.
func WriteWith(dir string, m int, extra map[string]string) (entry string, err error) {
	if entry, err = Write(dir, m); err != nil {
		return "", err
	}
	for name, text := range extra {
		if err := os.WriteFile(filepath.Join(dir, ModulesDir, name), []byte(text), 0o644); err != nil {
			return "", err
		}
	}
	return entry, nil
}

// writeModules writes the m modules of the workload, ModulesDir/m<i>.ext
// (i zero-padded) made by write, and returns their names in order.
func writeModules(dir string, m int, ext string, write func(w *bufio.Writer, i, m int)) ([]string, error) {
	if m < 1 {
		return nil, fmt.Errorf("modgen: m must be at least 1, got %d", m)
	}
	modDir := filepath.Join(dir, ModulesDir)
	if err := os.MkdirAll(modDir, 0o755); err != nil {
		return nil, err
	}
	width := len(strconv.Itoa(m - 1))
	names := make([]string, m)
	for i := range m {
		names[i] = fmt.Sprintf("m%0*d.%s", width, i, ext)
		if err := writeFile(filepath.Join(modDir, names[i]), func(w *bufio.Writer) { write(w, i, m) }); err != nil {
			return nil, err
		}
	}
	return names, nil
}

// ModuleName is the name of the i-th generated module's options and user
// suffix: "m<i>".
func ModuleName(i int) string { return "m" + strconv.Itoa(i) }

func writeFile(name string, body func(w *bufio.Writer)) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	body(w)
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func writeEntry(w *bufio.Writer) {
	fmt.Fprintf(w, `# Entry module of a generated benchmark workload (bench/modgen).
imports = ["./%s"]

users %q {
  uid         = 5000
  description = "Shared by every generated module"
  shell       = "/bin/sh"
}
`, ModulesDir, SharedUser)
}

// writeModule writes module i of m. Keep it in step with doc.go.
func writeModule(w *bufio.Writer, i, m int) {
	fmt.Fprintf(w, `# Generated module %[1]d of %[2]d (bench/modgen).
option "bench.m%[1]d.enable" {
  type        = bool
  default     = false
  description = "Whether generated module %[1]d is enabled."
}

option "bench.m%[1]d.label" {
  type        = str
  default     = "m%[1]d"
  description = "Label of generated module %[1]d."
}

environment {
  system_packages = ["pkg%[1]d-a", "pkg%[1]d-b", "pkg%[1]d-c"]
}

users "u%[1]d" {
  uid         = %[3]d
  description = "Generated user %[1]d"
  shell       = "/bin/sh"
  groups      = ["g%[1]d", "users"]
}

users %[4]q {
  groups = ["g%[1]d"]
}

macos {
  defaults "domain_%[5]d" {
    key_%[1]d = "v%[1]d"
  }
}
`, i, m, 10000+i, SharedUser, i%10)
	if i+1 < m {
		fmt.Fprintf(w, `
bench {
  m%d {
    enable = true
  }
}
`, i+1)
	}
	switch {
	case i == m-1:
		fmt.Fprintf(w, "\nnetworking {\n  host_name = \"final\"\n}\n")
	case i == 0:
		fmt.Fprintf(w, "\nnetworking {\n  host_name = default(\"m0\")\n}\n")
	}
}
