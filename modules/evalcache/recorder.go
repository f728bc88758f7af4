package evalcache

import (
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gocfg/gocfg/modules/loader"
)

// racyWindow is how recent a change may be for a stat signature not to
// prove the content unchanged: within it, another write can leave size
// and timestamps as they were (filesystem timestamps have a granularity
// up to a second).
const racyWindow = time.Second

// A signature is what stat says of a file: enough to tell, without
// reading it, that it has not changed since.
type signature struct {
	Size             int64
	Mode             uint32
	MtimeNS, CtimeNS int64
	Ino, Dev         uint64
}

// racy reports whether a signature taken at t (read before the stat)
// cannot vouch for the content: the file changed less than racyWindow
// before, or the platform has no change time.
func (s signature) racy(t time.Time) bool {
	limit := t.Add(-racyWindow).UnixNano()
	return s.CtimeNS < 0 || s.MtimeNS > limit || s.CtimeNS > limit
}

// A fileRecord is one file the evaluation read, or looked for.
type fileRecord struct {
	Path    string
	Present bool // false: the file did not exist
	Sig     signature
	Racy    bool
	Sum     [sha256.Size]byte
}

// A Recorder records what one evaluation reads. Give it to
// modules.Options as Reader (modules, imported folders, file()) and its
// Getenv as Getenv; it is safe for concurrent use.
type Recorder struct {
	getenv func(string) string
	now    func() time.Time

	mu      sync.Mutex
	files   map[string]*fileRecord
	folders map[string]*folderRecord
	env     map[string]string
	// unsure is set when something was read that a later run could not
	// check the same way: such an evaluation is not cached.
	unsure bool
}

// NewRecorder returns a Recorder whose Getenv reads through getenv (nil:
// os.Getenv).
func NewRecorder(getenv func(string) string) *Recorder {
	if getenv == nil {
		getenv = os.Getenv
	}
	return &Recorder{getenv: getenv, now: time.Now, files: map[string]*fileRecord{}, folders: map[string]*folderRecord{}, env: map[string]string{}}
}

var _ loader.Reader = (*Recorder)(nil)

// ReadFile reads a module or a file() file as loader.ReadFile does, and
// records its signature (taken before reading) and content hash, or that
// it does not exist.
func (r *Recorder) ReadFile(name string) ([]byte, error) {
	return r.read(name, loader.ReadFileInfo)
}

// ReadImported reads a module an import resolved as
// loader.ReadImportedInfo does (no stat before the open: the signature is
// the fstat of the file read), and records it as ReadFile does.
func (r *Recorder) ReadImported(name string) ([]byte, error) {
	return r.read(name, loader.ReadImportedInfo)
}

// read reads name with readInfo and records what it found.
func (r *Recorder) read(name string, readInfo func(string) ([]byte, fs.FileInfo, error)) ([]byte, error) {
	t := r.now()
	b, fi, err := readInfo(name)
	r.mu.Lock()
	defer r.mu.Unlock()
	if fi == nil { // the stat (or the open) failed
		if errors.Is(err, fs.ErrNotExist) {
			r.add(&fileRecord{Path: name})
		} else {
			r.unsure = true
		}
		return nil, err
	}
	if err != nil {
		r.unsure = true
		return nil, err
	}
	sig := signatureOf(fi)
	r.add(&fileRecord{Path: name, Present: true, Sig: sig, Racy: sig.racy(t), Sum: sha256.Sum256(b)})
	return b, nil
}

// add keeps the first record of a path; a second one that disagrees
// (the file changed while the evaluation read it twice) makes the
// evaluation unsure.
func (r *Recorder) add(f *fileRecord) {
	old, ok := r.files[f.Path]
	if !ok {
		r.files[f.Path] = f
		return
	}
	if old.Present != f.Present || old.Sum != f.Sum {
		r.unsure = true
	}
}

// Imported records the .hcl files of an imported folder, and the
// folder's signature when it vouches for them (listedSignature).
func (r *Recorder) Imported(dir string, files []string) {
	t := r.now()
	sig, signed := listedSignature(dir, files)
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, ok := r.folders[dir]; ok && !slices.Equal(old.Files, files) {
		r.unsure = true
	}
	r.folders[dir] = &folderRecord{Path: dir, Files: slices.Clone(files), Sig: sig, Signed: signed, Racy: signed && sig.racy(t)}
}

// Getenv reads an environment variable for env(), and records it.
func (r *Recorder) Getenv(name string) string {
	v := r.getenv(name)
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, ok := r.env[name]; ok && old != v {
		r.unsure = true
	}
	r.env[name] = v
	return v
}

// inputs returns what was recorded, sorted by path or name, and
// whether it can be cached.
func (r *Recorder) inputs() (in inputs, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, f := range r.files {
		in.files = append(in.files, *f)
	}
	slices.SortFunc(in.files, func(a, b fileRecord) int { return cmpString(a.Path, b.Path) })
	for _, d := range r.folders {
		in.folders = append(in.folders, *d)
	}
	slices.SortFunc(in.folders, func(a, b folderRecord) int { return cmpString(a.Path, b.Path) })
	for k, v := range r.env {
		in.env = append(in.env, [2]string{k, v})
	}
	slices.SortFunc(in.env, func(a, b [2]string) int { return cmpString(a[0], b[0]) })
	return in, !r.unsure
}

func cmpString(a, b string) int { return strings.Compare(a, b) }

// inputs is everything an evaluation read.
type inputs struct {
	files   []fileRecord
	folders []folderRecord
	env     [][2]string
}

// A folderRecord is an imported folder and the .hcl files it held.
type folderRecord struct {
	Path  string
	Files []string
	// Sig is the folder's signature when Signed: it vouches for Files
	// (listedSignature) unless Racy.
	Sig    signature
	Signed bool
	Racy   bool
}

// listedSignature is the signature of folder dir (links followed),
// taken before it is listed, and whether it vouches for the modules
// files the loader listed in it: a folder's modification time changes
// whenever a name in it is added, removed or renamed, so while its
// signature stays, so do its names. It vouches only when every *.hcl
// name in it is a regular file or a folder (a link's target can turn
// from a folder into a file without the folder changing) and the
// listing is files; otherwise Get lists the folder every time.
func listedSignature(dir string, files []string) (signature, bool) {
	st := statPath(dir)
	if st.err != nil {
		return signature{}, false
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return signature{}, false
	}
	n := 0
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".hcl") || e.IsDir() {
			continue
		}
		if !e.Type().IsRegular() || n >= len(files) || files[n] != filepath.Join(dir, e.Name()) {
			return signature{}, false
		}
		n++
	}
	return st.sig, n == len(files)
}
