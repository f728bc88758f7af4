package generations

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sync"
)

// The tree object of a files root is named with a keyed hash.
//
// A generation's files roots are symlinks anyone may read
// (generations/<N>/files/home/alice -> ../../../../store/home-alice/<name>),
// and a tree object's name was the sha256 of its listing, which holds the
// sha256 of each file: whoever could guess a file's content could confirm
// the guess offline, from the name alone, although the area itself is
// closed to them (tester AE: another user found a 4-digit PIN in a
// dotfile in 17 seconds; the same for a private /etc file). So the object
// of a files root is named HMAC-SHA256(key, area NUL tree hash) instead,
// with the store's own key, store/key (32 random bytes in hex, 0600, made
// by the first Write that needs it). The objects below it keep their
// plain names: only the area's owner can read those links.
//
// An object is what its name says when its listing hashes to the name,
// plainly or keyed: objects written before, and their generations, still
// verify. Only names change: the first generation written with a key
// writes each root's object once more under its keyed name, hard-linking
// its files.

// keyFile is the store's key, in the store folder.
const keyFile = "key"

// rootKey is the store's key for files roots' names (root_name.go).
type rootKey struct {
	mu     sync.Mutex
	loaded bool
	key    []byte // nil: none yet
	err    error
}

// keyPath returns the path of the store's key.
func (s *Store) keyPath() string { return filepath.Join(s.dir, storeDir, keyFile) }

// loadKey reads the store's key once; with create, it makes one when there
// is none (a dry run keeps it in memory only).
func (s *Store) loadKey(create bool) ([]byte, error) {
	k := &s.rootKey
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.loaded && (k.key != nil || !create) {
		return k.key, k.err
	}
	k.loaded = true
	k.key, k.err = s.readKey()
	if k.err != nil || k.key != nil || !create {
		return k.key, k.err
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		k.err = err
		return nil, err
	}
	if err := s.sys.MkdirAll(filepath.Join(s.dir, storeDir), 0o755); err != nil {
		return nil, err
	}
	err := s.sys.WriteNewFile(s.keyPath(), []byte(hex.EncodeToString(key)+"\n"), 0o600)
	if errors.Is(err, fs.ErrExist) {
		k.key, k.err = s.readKey()
		return k.key, k.err
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.keyPath(), err)
	}
	k.key = key
	return key, nil
}

// readKey reads store/key; nil when there is none.
func (s *Store) readKey() ([]byte, error) {
	b, err := s.sys.ReadFile(s.keyPath())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(string(bytes.TrimSpace(b)))
	clear(b)
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("%s: not a key gocfg wrote (64 hex digits)", s.keyPath())
	}
	return key, nil
}

// keyedName is the name of the tree object of a files root whose tree hash
// is hash, in the store area area: the area is in the keyed text, so
// that the same tree has another name in another user's area (tester AF:
// equal names told that two users' files were the same).
func keyedName(key []byte, area, hash string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(area + "\x00" + hash))
	return hex.EncodeToString(m.Sum(nil))
}

// isKeyedName reports whether name is the keyed name, in area, of the tree
// hash hash with the store's key (false when the store has none).
func (s *Store) isKeyedName(area, name, hash string) bool {
	key, err := s.loadKey(false)
	if err != nil || key == nil {
		return false
	}
	return hmac.Equal([]byte(keyedName(key, area, hash)), []byte(name))
}

// nameRoots names the tree object of each files root with the store's
// key (made if the store has none), in the root's area of areas.
func (s *Store) nameRoots(roots map[string]*tree, areas map[string]Area) error {
	if len(roots) == 0 {
		return nil
	}
	key, err := s.loadKey(true)
	if err != nil {
		return err
	}
	for root, t := range roots {
		t.hash = keyedName(key, areas[root].Name, t.hash)
	}
	return nil
}

// keyProblem says why the key at p cannot be read (err nil: it is not
// there).
func keyProblem(p string, err error) string {
	if err == nil {
		return p + " is missing"
	}
	return err.Error()
}
