package loader

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/gocfg/gocfg/modules/syntax"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// BuiltinPrefix starts the file name of every built-in module.
const BuiltinPrefix = "<builtin>/"

// Load reads the built-in modules (from builtins, may be nil) and the
// entry module with everything it imports (entry may be empty to load
// only the built-ins). Every problem comes back as a diagnostic: a file
// that cannot be read at the `imports` line naming it, a syntax error at
// its place.
// File names in messages are shown relative to workDir when set. The
// configuration's files are read through r (nil: ReadFile), which the Set
// keeps for file() calls.
func Load(entry string, builtins fs.FS, workDir string, r Reader) (*Set, hcl.Diagnostics) {
	l := &loading{
		workDir: workDir,
		reader:  r,
		parsed:  map[string]*parseResult{},
	}
	l.more.L = &l.mu
	var builtinNames []string
	if builtins != nil {
		_ = fs.WalkDir(builtins, ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && path.Ext(p) == ".hcl" {
				builtinNames = append(builtinNames, p)
			}
			return nil
		})
		sort.Strings(builtinNames)
		for _, name := range builtinNames {
			name := name
			l.start(BuiltinPrefix+name, nil, func() ([]byte, error) { return fs.ReadFile(builtins, name) })
		}
	}
	if strings.HasSuffix(entry, ".hcl.json") {
		return &Set{byPath: map[string]*Module{}, WorkDir: workDir, Reader: r}, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "JSON syntax is not supported",
			Detail:   displayPath(workDir, entry) + ": write modules in HCL native syntax (.hcl).",
		}}
	}
	if entry != "" {
		l.startFile(entry, nil)
	}
	l.run(runtime.GOMAXPROCS(0))

	// Every file parsed is visited once, and most are modules: the maps
	// and the list are made for them all at once, not grown to them.
	set := &Set{byPath: make(map[string]*Module, len(l.parsed)), WorkDir: workDir, Reader: r}
	if len(l.parsed) > 0 {
		set.Modules = make([]*Module, 0, len(l.parsed))
	}
	var diags hcl.Diagnostics
	seen := make(map[string]bool, len(l.parsed))
	var visit func(p string)
	visit = func(p string) {
		if seen[p] {
			return
		}
		seen[p] = true
		r := l.parsed[p]
		diags = append(diags, r.diags...)
		if r.mod == nil {
			return
		}
		r.mod.Index = len(set.Modules)
		set.Modules = append(set.Modules, r.mod)
		set.byPath[p] = r.mod
		for _, imp := range r.mod.imports {
			for _, f := range imp.files {
				visit(f)
			}
		}
	}
	for _, name := range builtinNames {
		visit(BuiltinPrefix + name)
	}
	if entry != "" {
		visit(entry)
		set.Entry = set.byPath[entry]
	}
	// Files that failed to parse still go into the source map, so their
	// syntax errors show the line.
	for p, r := range l.parsed {
		if r.mod == nil && r.src != nil {
			set.byPath[p] = &Module{Path: p, Source: r.src}
		}
	}
	return set, diags
}

type parseResult struct {
	mod   *Module
	src   []byte
	diags hcl.Diagnostics
	// from is the imports entry that first named the file (nil for the
	// entry module and built-ins), where a read error is reported.
	from *hcl.Range
}

type loading struct {
	workDir string
	reader  Reader
	mu      sync.Mutex
	parsed  map[string]*parseResult
	// queue holds the files to parse from next; pending counts those
	// queued or being parsed. more is signalled when either changes.
	queue   []parseJob
	next    int
	pending int
	more    sync.Cond
}

// A parseJob is a file to parse: its name, how to read it and where
// its result goes.
type parseJob struct {
	p    string
	read func() ([]byte, error)
	r    *parseResult
}

func (l *loading) startFile(p string, from *hcl.Range) {
	l.start(p, from, func() ([]byte, error) { return readFile(l.reader, p) })
}

// reserve makes room in the queue for n more files, at once: a folder
// of a thousand modules would grow it a step at a time (each a new
// array) one file after the other.
func (l *loading) reserve(n int) {
	l.mu.Lock()
	l.queue = slices.Grow(l.queue, n)
	l.mu.Unlock()
}

// start queues the file named p for parsing, once. from is the imports
// entry naming it, if any.
func (l *loading) start(p string, from *hcl.Range, read func() ([]byte, error)) {
	l.mu.Lock()
	if _, ok := l.parsed[p]; ok {
		l.mu.Unlock()
		return
	}
	r := &parseResult{from: from}
	l.parsed[p] = r
	l.queue = append(l.queue, parseJob{p: p, read: read, r: r})
	l.pending++
	l.mu.Unlock()
	l.more.Signal()
}

// run parses the queued files, and those they import, with n workers:
// this goroutine and n-1 others. A few long-lived workers, rather than
// a goroutine per file, grow their stacks for the parser's recursion
// once, not once per file.
func (l *loading) run(n int) {
	var wg sync.WaitGroup
	for range n - 1 {
		wg.Go(l.work)
	}
	l.work()
	wg.Wait()
}

// work parses queued files until every file is parsed.
func (l *loading) work() {
	nodes := &parseNodes{}
	l.mu.Lock()
	for {
		for l.next == len(l.queue) && l.pending > 0 {
			l.more.Wait()
		}
		if l.pending == 0 {
			l.mu.Unlock()
			l.more.Broadcast()
			return
		}
		j := l.queue[l.next]
		l.queue[l.next] = parseJob{}
		l.next++
		l.mu.Unlock()
		l.parse(j.p, j.read, j.r, nodes)
		if j.r.mod != nil {
			for _, imp := range j.r.mod.imports {
				l.reserve(len(imp.files))
				for _, f := range imp.files {
					l.start(f, imp.rng.Ptr(), func() ([]byte, error) { return readImported(l.reader, f) })
				}
			}
		}
		l.mu.Lock()
		l.pending--
	}
}

func (l *loading) parse(p string, read func() ([]byte, error), r *parseResult, nodes *parseNodes) {
	src, err := read()
	if err != nil {
		// The importing module reports missing and irregular files at
		// its imports line already; this happens for the entry, or when
		// a file changes between that check and now.
		r.diags = hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read module",
			Detail:   readError(p, err),
			Subject:  r.from,
		}}
		return
	}
	r.src = src
	if d := checkNesting(src, p); d != nil {
		r.diags = hcl.Diagnostics{d}
		return
	}
	body, objects, ok := parseFast(src, p, nodes)
	if !ok {
		objects = true
		file, diags := hclsyntax.ParseConfig(src, p, hcl.InitialPos)
		diags = nixSyntax(diags, src)
		dottedNames(diags, src)
		r.diags = fewSyntaxErrors(diags, p)
		if diags.HasErrors() {
			return
		}
		body = syntax.FromHCL(file.Body.(*hclsyntax.Body))
	}
	m := &Module{Path: p, Source: src, Body: body, NoObjects: !objects}
	if strings.HasPrefix(p, BuiltinPrefix) {
		m.Builtin = true
	} else {
		m.Dir = filepath.Dir(p)
	}
	r.diags = append(r.diags, m.readImports(l.workDir, l.reader)...)
	r.mod = m
}

// maxSyntaxErrors is how many syntax errors of one file are shown.
const maxSyntaxErrors = 10

// fewSyntaxErrors is diags, the parser's diagnostics of the file p, cut
// to maxSyntaxErrors errors and a last one that counts the rest: a file
// that is no HCL (an import of /etc/passwd, a YAML file) gives an error
// for nearly every line, each quoting the line, which would bury the
// first, the one that says what is wrong.
func fewSyntaxErrors(diags hcl.Diagnostics, p string) hcl.Diagnostics {
	errs := 0
	for i, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		if errs++; errs > maxSyntaxErrors {
			rest := 0
			for _, d := range diags[i:] {
				if d.Severity == hcl.DiagError {
					rest++
				}
			}
			// At the first error not shown: every error has a place.
			return append(diags[:i:i], &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "More syntax errors",
				Detail:   fmt.Sprintf("%s has %d more syntax errors from here on, not shown. Is it an HCL module? Modules are .hcl files of gocfg's language (docs/language.md).", p, rest),
				Subject:  d.Subject,
			})
		}
	}
	return diags
}

// readImports resolves the module's `imports` attribute: a list of
// literal strings, each a file or a folder relative to the module.
func (m *Module) readImports(workDir string, r Reader) hcl.Diagnostics {
	attr := m.Body.Attr("imports")
	if attr == nil {
		return nil
	}
	var diags hcl.Diagnostics
	tuple, ok := attr.Expr.(*hclsyntax.TupleConsExpr)
	if !ok {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "imports must be a list of literal paths",
			Detail:   `Write the paths out, relative to this file: imports = ["./base.hcl", "../modules/dev"]. Imports are read before anything is evaluated, so they cannot be computed.`,
			Subject:  attr.Expr.Range().Ptr(),
		}}
	}
	if m.Builtin {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Built-in modules cannot import",
			Detail:   "Every built-in module is loaded already.",
			Subject:  attr.Expr.Range().Ptr(),
		}}
	}
	for _, e := range tuple.Exprs {
		rel, ok := syntax.QuotedString(e)
		if !ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "imports must be a list of literal paths",
				Detail:   "Each import is a quoted path, relative to this file, without interpolation.",
				Subject:  e.Range().Ptr(),
			})
			continue
		}
		if rel == "" {
			// filepath.Join would make it this module's own folder.
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Empty import",
				Detail:   `An import names a file or a folder, relative to this file: "./base.hcl", "../modules/dev" ("." for this file's folder).`,
				Subject:  e.Range().Ptr(),
			})
			continue
		}
		files, err := resolveImport(m.Dir, rel, workDir, r)
		if err != nil {
			summary := "Import not found"
			if errors.Is(err, ErrNotRegular) || errors.Is(err, ErrTooLarge) {
				summary = "Cannot import"
			}
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  summary,
				Detail:   err.Error(),
				Subject:  e.Range().Ptr(),
			})
			continue
		}
		m.imports = append(m.imports, importRef{files: files, rng: e.Range()})
	}
	return diags
}

// readError words a failed read of module p.
func readError(p string, err error) string {
	if strings.HasPrefix(err.Error(), p+": ") {
		return err.Error()
	}
	return fmt.Sprintf("%s: %v", p, err)
}

// resolveImport turns one import into files: the file itself, or every
// *.hcl directly in a folder, sorted by name (told to r, when set).
func resolveImport(dir, rel, workDir string, r Reader) ([]string, error) {
	p := rel
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, rel)
	}
	p = filepath.Clean(p)
	if strings.HasSuffix(p, ".hcl.json") {
		return nil, fmt.Errorf("%s: JSON syntax is not supported; write the module in HCL native syntax (.hcl)", displayPath(workDir, p))
	}
	st, err := os.Stat(p)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("%s: no such file or folder (imported as %q, relative to %s)", displayPath(workDir, p), rel, displayPath(workDir, dir))
		}
		return nil, fmt.Errorf("%s: %v", displayPath(workDir, p), err)
	}
	if !st.IsDir() {
		if err := checkRegular(displayPath(workDir, p), st.Mode(), st.Size()); err != nil {
			return nil, fmt.Errorf("%w; imports name .hcl files or folders of them", err)
		}
		return []string{p}, nil
	}
	files, err := folderModules(p, workDir)
	if err != nil {
		return nil, err
	}
	if r != nil {
		r.Imported(p, files)
	}
	return files, nil
}

// FolderModules lists the modules an import of the folder dir loads:
// every regular *.hcl file directly in it (links followed), sorted by
// name; an error when there is none, or something named *.hcl that is
// neither a folder nor a regular file.
func FolderModules(dir string) ([]string, error) { return folderModules(dir, "") }

func folderModules(p, workDir string) ([]string, error) {
	entries, err := os.ReadDir(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", displayPath(workDir, p), err)
	}
	var files []string
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".hcl") {
			continue
		}
		f := filepath.Join(p, e.Name())
		if !e.Type().IsRegular() {
			// A symbolic link, or something that is no file at all.
			st, err := os.Stat(f)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", displayPath(workDir, f), err)
			}
			if st.IsDir() {
				continue
			}
			if err := checkRegular(displayPath(workDir, f), st.Mode(), st.Size()); err != nil {
				return nil, fmt.Errorf("%w; a folder that is imported may hold only regular .hcl files", err)
			}
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: folder has no .hcl modules", displayPath(workDir, p))
	}
	return files, nil // os.ReadDir sorts by name
}
