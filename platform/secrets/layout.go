package secrets

import (
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/gocfg/gocfg/generations"
)

// Where the plaintext lives (see the package documentation).
const (
	runDir   = "/run/gocfg"
	setsDir  = "/run/gocfg/secrets.d"
	liveLink = "/run/gocfg/secrets"
	// setsLink is what liveLink points at, relative: secrets.d/<set>.
	setsLinkDir = "secrets.d"
)

// StoreRoot is the files root of a generation that holds the
// ciphertexts.
const StoreRoot = "age"

// storeRel is where a system secret's ciphertext is stored under
// StoreRoot.
func storeRel(name string) string { return "system/" + name }

// HomeStoreRoot is the files root of a generation that holds user's
// secrets' ciphertexts, each under its name: a root of its own per user,
// so that a rollback that holds her secrets takes her ciphertexts from
// the current generation (generations.NewGeneration.RootsFrom) and
// everyone else's from the generation it returns to (her secret blocked
// root's whole rollback while all shared one root). Its store area is
// StoreRoot's.
func HomeStoreRoot(user string) string { return "age-home/" + user }

// legacyHomeRel is where generations made before HomeStoreRoot stored a
// user's secret's ciphertext: under StoreRoot. They are still read there.
func legacyHomeRel(user, name string) string { return "home/" + user + "/" + name }

// StoredWithEveryones reports whether generation n of store stores
// user's secrets' ciphertexts under StoreRoot with everyone's (it was
// made before HomeStoreRoot, or it took an older generation's whole, she
// not held): a rollback from it cannot take hers alone, and so cannot
// hold her secrets. Her HomeStoreRoot decides when there is one (tester
// AU: a rollback that held her, back to an older generation, took that
// one's StoreRoot whole, her old ciphertexts with it, and her next
// rollback was refused).
func StoredWithEveryones(sys interface {
	Lstat(string) (fs.FileInfo, error)
}, store *generations.Store, n int, user string) bool {
	if _, err := sys.Lstat(store.FilePath(n, HomeStoreRoot(user), "")); err == nil {
		return false
	}
	_, err := sys.Lstat(store.FilePath(n, StoreRoot, path.Dir(legacyHomeRel(user, "x"))))
	return err == nil
}

// storeArea is the store area of the ciphertexts: private, root's when
// this run is root's.
func (pl *planner) storeArea() generations.Area {
	area := generations.Area{Name: StoreRoot, UID: -1, GID: -1, Private: true}
	if pl.l.Privileged {
		area.UID, area.GID = 0, 0
	}
	return area
}

// homeCipher is the stored ciphertext of user's secret name in
// generation n: under HomeStoreRoot, or where an older generation
// stored it (legacyHomeRel).
func (pl *planner) homeCipher(n int, user, name string) string {
	root, rel := pl.homeCipherAt(n, user, name)
	return pl.l.Store.FilePath(n, root, rel)
}

// homeCipherAt is the files root and path in it of homeCipher.
func (pl *planner) homeCipherAt(n int, user, name string) (root, rel string) {
	l := pl.l
	if _, err := l.Reader().Lstat(l.Store.FilePath(n, HomeStoreRoot(user), name)); err != nil {
		if _, err := l.Reader().Lstat(l.Store.FilePath(n, StoreRoot, legacyHomeRel(user, name))); err == nil {
			return StoreRoot, legacyHomeRel(user, name)
		}
	}
	return HomeStoreRoot(user), name
}

// LivePath is where the plaintext of the system secret name is read:
// /run/gocfg/secrets/<name>.
func LivePath(name string) string { return filepath.Join(liveLink, name) }

// setDir is the folder of a set.
func setDir(set string) string { return filepath.Join(setsDir, set) }

// setTarget is what liveLink points at for a set.
func setTarget(set string) string { return setsLinkDir + "/" + set }

var nameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]*$`) })

// checkName refuses a secret name that is not one file name of letters,
// digits, '.', '_' and '-'.
func checkName(name string) error {
	if len(name) > 200 || !nameRE().MatchString(name) {
		return fmt.Errorf("secret name %q: use letters, digits, '.', '_' and '-', not starting with '.' or '-'", name)
	}
	return nil
}

var hashRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^sha256:[0-9a-f]{64}$`) })

func validHash(h string) bool { return hashRE().MatchString(h) }

// hexOf is the hex part of a "sha256:<hex>" hash (what the store keys
// contents by).
func hexOf(h string) string { return strings.TrimPrefix(h, "sha256:") }

// short shows a hash in a plan: sha256: and its first 12 digits.
func short(h string) string {
	if len(h) > len("sha256:")+12 {
		return h[:len("sha256:")+12]
	}
	return h
}
