package generations

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/platform/system"
)

// Names inside the state folder.
const (
	generationsDir = "generations"
	storeDir       = "store"
	filesDir       = "files"
	currentLink    = "current"
	tempPrefix     = ".tmp-"
	// deletingPrefix starts the name a generation's folder is renamed to
	// before Delete removes it: a temporary folder, which Numbers leaves
	// out and GC removes, as the state-folder checks accept.
	deletingPrefix = tempPrefix + "deleting-"
)

// A Store is the state folder of gocfg: the numbered generations, the
// current link, the content store they share, and the paths of the
// journal and the lock. Every file system access goes through its
// System, so that --root and --dry-run apply.
type Store struct {
	sys system.System
	dir string
	// Warn, when set, is told of problems the store found and repaired
	// (an untrusted store area replaced, objects dropped).
	Warn func(msg string)
	// Private: the state folder is one user's own (an ordinary user's
	// gocfg, under her home): a generation's meta.json (her host name,
	// her configuration's folder, when she switched) and refused.json
	// are hers alone, 0600, not 0644 as in root's state (tester R: bob
	// read alice's). The folders stay open to others: a link in her
	// home into her store is followed by whoever reads it (a web server
	// serving ~/public_html).
	Private bool

	// sigs is the signature cache of stored files (sigs.go).
	sigs sigCache
	// settled is the settled-folders cache of the files provider
	// (settled.go).
	settled settledCache
	// sources is the source-signatures cache of the files provider
	// (sources.go).
	sources sourcesCache
	// rootKey names the files roots' tree objects (root_name.go).
	rootKey rootKey
}

// New returns the Store in the state folder dir, a machine path such as
// /var/lib/gocfg. Nothing is read or created yet.
func New(sys system.System, dir string) *Store {
	return &Store{sys: sys, dir: filepath.Clean(dir)}
}

// Dir returns the state folder.
func (s *Store) Dir() string { return s.dir }

// LockPath returns the path of the lock file, dir/lock.
func (s *Store) LockPath() string { return filepath.Join(s.dir, "lock") }

// JournalPath returns the path of the journal of the switch in
// progress, dir/journal.json.
func (s *Store) JournalPath() string { return filepath.Join(s.dir, "journal.json") }

// CurrentPath returns the path of the current link, dir/current.
func (s *Store) CurrentPath() string { return filepath.Join(s.dir, currentLink) }

// Path returns the folder of generation n, dir/generations/<n>.
func (s *Store) Path(n int) string {
	return filepath.Join(s.dir, generationsDir, strconv.Itoa(n))
}

// FilePath returns the path of rel under the files root root in
// generation n: dir/generations/<n>/files/<root>/<rel>, or the root
// itself when rel is "".
func (s *Store) FilePath(n int, root, rel string) string {
	// Made in one string when filepath.Join would only put slashes
	// between the parts (the files provider asks for 10,000 paths in a
	// switch of as many dotfiles): an absolute state folder other than
	// "/" (New cleans it) and a clean root and rel.
	if len(s.dir) > 1 && s.dir[0] == '/' && cleanSlash(root) && (rel == "" || cleanSlash(rel)) {
		num := strconv.Itoa(n)
		var b strings.Builder
		b.Grow(len(s.dir) + len(generationsDir) + len(num) + len(filesDir) + len(root) + len(rel) + 5)
		b.WriteString(s.dir)
		b.WriteString("/" + generationsDir + "/")
		b.WriteString(num)
		b.WriteString("/" + filesDir + "/")
		b.WriteString(root)
		if rel != "" {
			b.WriteByte('/')
			b.WriteString(rel)
		}
		return b.String()
	}
	return filepath.Join(s.Path(n), filesDir, root, rel)
}

// cleanSlash reports whether p is a relative slash path that
// filepath.Clean leaves as it is, other than ".": segments that are
// neither empty, "." nor "..".
func cleanSlash(p string) bool {
	start := 0
	for i := 0; i <= len(p); i++ {
		if i < len(p) && p[i] != '/' {
			continue
		}
		switch p[start:i] {
		case "", ".", "..":
			return false
		}
		start = i + 1
	}
	return true
}

// CurrentFilePath returns the path of rel under the files root root
// through the current link: dir/current/files/<root>/<rel>. Links made in
// home folders point there, so that flipping current changes them all.
func (s *Store) CurrentFilePath(root, rel string) string {
	return filepath.Join(s.CurrentPath(), filesDir, root, rel)
}

// Current returns the number of the generation current points at, or 0
// when there is no current link in a fresh state folder (see noCurrent).
func (s *Store) Current() (int, error) {
	p := s.CurrentPath()
	target, err := s.sys.Readlink(p)
	if errors.Is(err, fs.ErrNotExist) {
		return s.noCurrent(p)
	}
	if err != nil {
		return 0, err
	}
	rest, ok := strings.CutPrefix(filepath.ToSlash(filepath.Clean(target)), generationsDir+"/")
	n, err := strconv.Atoi(rest)
	if !ok || err != nil || n < 1 {
		return 0, fmt.Errorf("%s: points at %q, not at a generation", p, target)
	}
	return n, nil
}

// noCurrent is Current when the link p is missing: 0 for a fresh state
// folder, and while a journal waits for recovery (a first switch
// interrupted before it made the link; recovery deletes its
// generation). With generations and no journal, the link was lost (a
// state folder restored in part, a tidy-up by hand), and it is an
// error: taken for a fresh machine, gocfg would manage nothing, let the
// generation that is on the machine be deleted, and record its own
// links as what was there before it.
func (s *Store) noCurrent(p string) (int, error) {
	if _, err := s.sys.Lstat(s.JournalPath()); err == nil {
		return 0, nil
	}
	nums, err := s.Numbers()
	if err != nil || len(nums) == 0 {
		return 0, err
	}
	return 0, &LostCurrentError{Path: p, First: nums[0], Newest: nums[len(nums)-1]}
}

// Numbers returns the numbers of the complete generations, ascending.
// Temporary folders of generations being written are left out. A
// missing state folder has none.
func (s *Store) Numbers() ([]int, error) {
	des, err := s.sys.ReadDir(filepath.Join(s.dir, generationsDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var nums []int
	for _, de := range des {
		if n, ok := parseNumber(de.Name()); ok && de.IsDir() {
			nums = append(nums, n)
		}
	}
	slices.Sort(nums)
	return nums, nil
}

// parseNumber returns the generation number a folder name is, if it is
// one: a positive decimal number without leading zeros.
func parseNumber(name string) (int, bool) {
	n, err := strconv.Atoi(name)
	if err != nil || n < 1 || strconv.Itoa(n) != name {
		return 0, false
	}
	return n, true
}

// ReadFile returns the content of the file name ("config.json",
// "resources.json") of generation n.
func (s *Store) ReadFile(n int, name string) ([]byte, error) {
	p, err := s.filePath(n, name)
	if err != nil {
		return nil, err
	}
	return s.sys.ReadFile(p)
}

// FileSize returns the size in bytes of the file name of generation n,
// as ReadFile would read it, without reading it.
func (s *Store) FileSize(n int, name string) (int64, error) {
	p, err := s.filePath(n, name)
	if err != nil {
		return 0, err
	}
	fi, err := s.sys.Stat(p)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// filePath is the path of the file name of generation n; a name that is
// not a plain file name is refused.
func (s *Store) filePath(n int, name string) (string, error) {
	p := filepath.Join(s.Path(n), name)
	if name == "" || name == "." || name == ".." || strings.Contains(name, "/") {
		return "", fmt.Errorf("%s: not a file name of a generation", p)
	}
	return p, nil
}

// Next returns the number the next generation gets: one more than the
// highest, and 1 in a fresh state folder.
func (s *Store) Next() (int, error) {
	nums, err := s.Numbers()
	if err != nil {
		return 0, err
	}
	if len(nums) == 0 {
		return 1, nil
	}
	return nums[len(nums)-1] + 1, nil
}

// Flip makes current point at generation n, atomically (a temporary
// symlink renamed over current, with the relative target
// "generations/<n>"), and syncs the file system so that the flip
// survives a crash. A generation that does not exist is refused (the
// error wraps fs.ErrNotExist) rather than leaving current dangling, which
// would break every link made through it; under a dry run that includes
// the generation a dry-run Write only recorded, so a dry-run switch has
// no flip to make.
func (s *Store) Flip(n int) error {
	p := s.Path(n)
	fi, err := s.sys.Lstat(p)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s: not a generation folder", p)
	}
	if err := s.sys.ReplaceSymlink(generationsDir+"/"+strconv.Itoa(n), s.CurrentPath()); err != nil {
		return err
	}
	return s.sys.Sync(s.dir)
}

// Delete removes generation n, which must not be current. The store
// objects it used stay until GC.
//
// The generation disappears at once: its folder is renamed to
// generations/.tmp-deleting-<n>, a name no reader takes for a
// generation, the rename is synced, and only then is that folder
// removed. A crash, power loss or Ctrl-C while it is removed leaves the
// renamed folder, never a generation without its resources.json that
// generations list shows and rollback cannot return to (tester BI #10).
// Such leftovers are removed by the next Delete and by GC.
func (s *Store) Delete(n int) error {
	p := s.Path(n)
	cur, err := s.Current()
	if err != nil {
		return err
	}
	if n == cur {
		return fmt.Errorf("%s: generation %d %w; switch or roll back to another one first", p, n, ErrCurrent)
	}
	if _, err := s.sys.Lstat(p); err != nil {
		return err
	}
	// The leftovers of earlier Deletes first: one of the same number, of
	// a generation n deleted before and written again, would be in the
	// way of the rename.
	if err := s.removeDeleting(); err != nil {
		return err
	}
	gens := filepath.Join(s.dir, generationsDir)
	aside := filepath.Join(gens, deletingPrefix+strconv.Itoa(n))
	if err := s.sys.Rename(p, aside); err != nil {
		return err
	}
	if err := s.sys.Sync(gens); err != nil {
		return err // gone from the generations all the same; removed later
	}
	return s.sys.RemoveAll(aside)
}

// removeDeleting removes the folders of generations/ that a Delete
// renamed and did not finish removing (deletingPrefix).
func (s *Store) removeDeleting() error {
	gens := filepath.Join(s.dir, generationsDir)
	des, err := s.readDir(gens)
	if err != nil {
		return err
	}
	for _, de := range des {
		if strings.HasPrefix(de.Name(), deletingPrefix) {
			if err := s.sys.RemoveAll(filepath.Join(gens, de.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// TreeHash returns the hash of the tree object the files root root of
// generation n points at, or "" when the generation has no such root.
func (s *Store) TreeHash(n int, root string) (string, error) {
	p := s.FilePath(n, root, "")
	target, err := s.sys.Readlink(p)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	_, hash, err := s.rootObject(p, target)
	return hash, err
}

// rootObject returns the area and hash of the tree object a files root
// symlink at link points at with target.
func (s *Store) rootObject(link, target string) (area, hash string, err error) {
	obj := filepath.Join(filepath.Dir(link), target)
	rel, err := filepath.Rel(filepath.Join(s.dir, storeDir), obj)
	if err == nil {
		area, hash, _ = strings.Cut(filepath.ToSlash(rel), "/")
	}
	if err != nil || checkAreaName(area) != nil || !isHash(hash) {
		return "", "", fmt.Errorf("%s: points at %q, not at a tree object of the store", link, target)
	}
	return area, hash, nil
}

// Lock creates the state folder when missing and takes the lock that
// lets one gocfg at a time change the machine, writing pid into it.
func (s *Store) Lock(pid int) (system.Unlocker, error) {
	if err := s.sys.MkdirAll(s.dir, 0o755); err != nil {
		return nil, err
	}
	return s.sys.Lock(s.LockPath(), pid)
}
