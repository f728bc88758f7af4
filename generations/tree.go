package generations

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// A tree is one folder of a files tree, held in memory while a generation
// is written: its files, its subfolders and, once finished, its hash.
type tree struct {
	files  map[string]*Entry
	dirs   map[string]*tree
	names  []string // every file and subfolder name, sorted; set by finish
	hash   string   // the tree object's name; set by finish
	height int      // 0 without subfolders, else 1 + the highest subfolder's
}

// newTree returns an empty folder.
func newTree() *tree {
	return &tree{files: map[string]*Entry{}, dirs: map[string]*tree{}}
}

// finish computes the hashes and heights of t and every folder under it,
// bottom-up. The hash is the sha256 of the sorted listing, one line per
// name: "f <0444|0555> <content hash> <name>" for a file and
// "d <tree hash> <name>" for a subfolder.
//
// The subtrees of the first folder that has several are finished
// several at a time (forEach), each of them serially below: the listings
// of 10,000 files are hashed in every switch.
func (t *tree) finish() { t.finishIn(true) }

func (t *tree) finishIn(parallel bool) {
	t.names = make([]string, 0, len(t.files)+len(t.dirs))
	for name := range t.files {
		t.names = append(t.names, name)
	}
	if parallel && len(t.dirs) > 1 {
		subs := make([]*tree, 0, len(t.dirs))
		for _, sub := range t.dirs {
			subs = append(subs, sub)
		}
		forEach(len(subs), func(i int) { subs[i].finishIn(false) })
		parallel = false
	}
	for name, sub := range t.dirs {
		if sub.hash == "" {
			sub.finishIn(parallel)
		}
		t.height = max(t.height, sub.height+1)
		t.names = append(t.names, name)
	}
	slices.Sort(t.names)
	h := sha256.New()
	var line []byte
	for _, name := range t.names {
		if e, ok := t.files[name]; ok {
			line = append(line[:0], "f 0444 "...)
			if e.Exec {
				// "f 0555 ": line[2] is the leading 0.
				line[3] = '5'
				line[4] = '5'
				line[5] = '5'
			}
			line = append(line, e.Hash...)
		} else {
			line = append(line[:0], "d "...)
			line = append(line, t.dirs[name].hash...)
		}
		line = append(line, ' ')
		line = append(line, name...)
		line = append(line, '\n')
		h.Write(line)
	}
	t.hash = hex.EncodeToString(h.Sum(nil))
}

// folder returns the folder dir (a slash path, "" for t itself) of t
// that the entry e goes into, creating the folders on the way.
func (t *tree) folder(dir string, e *Entry) (*tree, error) {
	for rest, more := dir, dir != ""; more; {
		var seg string
		seg, rest, more = strings.Cut(rest, "/")
		if _, ok := t.files[seg]; ok {
			return nil, fmt.Errorf("%s/%s: invalid entry: %s is both a file and a folder", e.Root, e.Rel, seg)
		}
		sub := t.dirs[seg]
		if sub == nil {
			sub = newTree()
			t.dirs[seg] = sub
		}
		t = sub
	}
	return t, nil
}

// addFile puts e into the folder t as its file name.
func (t *tree) addFile(name string, e *Entry) error {
	if _, ok := t.dirs[name]; ok {
		return fmt.Errorf("%s/%s: invalid entry: both a file and a folder", e.Root, e.Rel)
	}
	if _, ok := t.files[name]; ok {
		return fmt.Errorf("%s/%s: invalid entry: duplicate file", e.Root, e.Rel)
	}
	t.files[name] = e
	return nil
}

// buildTrees groups entries per files root into trees and computes every
// tree hash, without any I/O. It rejects invalid entries, roots and areas.
func buildTrees(entries []Entry, areas map[string]Area) (map[string]*tree, error) {
	byName := map[string]string{} // area name → a files root using it
	for _, root := range sortedKeys(areas) {
		a := areas[root]
		if err := checkPath(root); err != nil {
			return nil, fmt.Errorf("%s: invalid files root: %s", root, err)
		}
		if err := checkAreaName(a.Name); err != nil {
			return nil, fmt.Errorf("store/%s: invalid area of files root %s: %s", a.Name, root, err)
		}
		if other, ok := byName[a.Name]; ok && areas[other] != a {
			return nil, fmt.Errorf("store/%s: files roots %s and %s give the area different owners or modes", a.Name, other, root)
		}
		byName[a.Name] = root
	}
	roots := map[string]*tree{}
	// The entries of a folder usually come one after another: the folder
	// of the one before (lastRoot, lastDir) is found again without
	// walking down to it (tree.addIn).
	var last *tree
	var lastRoot, lastDir string
	for i := range entries {
		e := &entries[i]
		if _, ok := areas[e.Root]; !ok {
			full := e.Root + "/" + e.Rel
			if err := checkPath(e.Root); err != nil {
				return nil, fmt.Errorf("%s: invalid entry: files root: %s", full, err)
			}
			return nil, fmt.Errorf("%s: invalid entry: no store area for files root %s", full, e.Root)
		}
		if err := checkPath(e.Rel); err != nil {
			return nil, fmt.Errorf("%s/%s: invalid entry: %s", e.Root, e.Rel, err)
		}
		if !isHash(e.Hash) {
			return nil, fmt.Errorf("%s/%s: invalid entry: hash %q is not a lowercase hex sha256", e.Root, e.Rel, e.Hash)
		}
		if e.Have == "" && e.Open == nil {
			return nil, fmt.Errorf("%s/%s: invalid entry: neither Have nor Open gives its content", e.Root, e.Rel)
		}
		dir, base := "", e.Rel
		if i := strings.LastIndexByte(e.Rel, '/'); i >= 0 {
			dir, base = e.Rel[:i], e.Rel[i+1:]
		}
		if last == nil || e.Root != lastRoot || dir != lastDir {
			t := roots[e.Root]
			if t == nil {
				t = newTree()
				roots[e.Root] = t
			}
			var err error
			if last, err = t.folder(dir, e); err != nil {
				return nil, err
			}
			lastRoot, lastDir = e.Root, dir
		}
		if err := last.addFile(base, e); err != nil {
			return nil, err
		}
	}
	names := sortedKeys(roots)
	for i, a := range names {
		for _, b := range names[i+1:] {
			if strings.HasPrefix(b, a+"/") {
				return nil, fmt.Errorf("%s: invalid files root: inside files root %s", b, a)
			}
		}
	}
	for _, t := range roots {
		t.finish()
	}
	return roots, nil
}

// checkPath says what is wrong with a relative slash path, or nil.
func checkPath(p string) error {
	switch {
	case p == "":
		return fmt.Errorf("empty path")
	case p[0] == '/':
		return fmt.Errorf("absolute path")
	}
	// One pass: newlines and NULs anywhere first, then the first bad
	// segment, as the errors were always told.
	bad := ""
	start := 0
	for i := 0; i <= len(p); i++ {
		if i < len(p) {
			switch p[i] {
			case '\n', 0:
				return fmt.Errorf("newline or NUL in path")
			case '/':
			default:
				continue
			}
		}
		if seg := p[start:i]; bad == "" && (seg == "" || seg == "." || seg == "..") {
			if seg == "" {
				bad = "\x00" // empty: told apart from the others below
			} else {
				bad = seg
			}
		}
		start = i + 1
	}
	switch bad {
	case "":
		return nil
	case "\x00":
		return fmt.Errorf("empty path segment")
	}
	return fmt.Errorf("%q path segment", bad)
}

// checkAreaName says what is wrong with an area name, or nil.
func checkAreaName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("empty name")
	case strings.HasPrefix(name, "."):
		return fmt.Errorf("name starts with a dot")
	case strings.ContainsAny(name, "/\n\x00"):
		return fmt.Errorf("slash, newline or NUL in name")
	}
	return nil
}

// isHash reports whether s is a sha256 in lowercase hex, as content and
// tree hashes are.
func isHash(s string) bool {
	if len(s) != sha256.Size*2 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !lowerHex[s[i]] {
			return false
		}
	}
	return true
}

// lowerHex tells the digits of lowercase hex.
var lowerHex = [256]bool{
	'0': true, '1': true, '2': true, '3': true, '4': true, '5': true, '6': true, '7': true,
	'8': true, '9': true, 'a': true, 'b': true, 'c': true, 'd': true, 'e': true, 'f': true,
}

// sortedKeys returns the keys of m, sorted.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
