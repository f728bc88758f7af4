package loader

// A Reader reads the files of a configuration for Load and for file()
// calls, and is told which .hcl files each imported folder held: through
// one, the evaluation cache (modules/evalcache) records everything an
// evaluation read. Its methods may be called from several goroutines at
// once.
type Reader interface {
	// ReadFile reads a module, or the file a file() call names, as
	// ReadFile does.
	ReadFile(name string) ([]byte, error)
	// Imported is told the .hcl files an imported folder holds, in
	// import order.
	Imported(dir string, files []string)
}

// An importedReader reads the modules imports resolved without a stat
// before opening them (ReadImportedInfo); a Reader that is not one reads
// them with ReadFile.
type importedReader interface {
	ReadImported(name string) ([]byte, error)
}

// readImported reads the imported module name through r, or with
// ReadImportedInfo when r is nil.
func readImported(r Reader, name string) ([]byte, error) {
	if ir, ok := r.(importedReader); ok {
		return ir.ReadImported(name)
	}
	if r != nil {
		return r.ReadFile(name)
	}
	b, _, err := ReadImportedInfo(name)
	return b, err
}

// readFile reads name through r, or with ReadFile when r is nil.
func readFile(r Reader, name string) ([]byte, error) {
	if r == nil {
		return ReadFile(name)
	}
	return r.ReadFile(name)
}

// ReadFunc is the function file() reads with in the modules of s:
// s.Reader's ReadFile, or ReadFile.
func (s *Set) ReadFunc() func(string) ([]byte, error) {
	if s == nil || s.Reader == nil {
		return ReadFile
	}
	return s.Reader.ReadFile
}
