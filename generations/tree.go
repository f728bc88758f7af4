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
func (t *tree) finish() {
	t.names = make([]string, 0, len(t.files)+len(t.dirs))
	for name := range t.files {
		t.names = append(t.names, name)
	}
	for name, sub := range t.dirs {
		sub.finish()
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

// add puts e into t at its slash path rel, creating the folders on the
// way.
func (t *tree) add(rel string, e *Entry) error {
	for {
		seg, rest, more := strings.Cut(rel, "/")
		if !more {
			break
		}
		if _, ok := t.files[seg]; ok {
			return fmt.Errorf("%s/%s: invalid entry: %s is both a file and a folder", e.Root, e.Rel, seg)
		}
		sub := t.dirs[seg]
		if sub == nil {
			sub = newTree()
			t.dirs[seg] = sub
		}
		t, rel = sub, rest
	}
	if _, ok := t.dirs[rel]; ok {
		return fmt.Errorf("%s/%s: invalid entry: both a file and a folder", e.Root, e.Rel)
	}
	if _, ok := t.files[rel]; ok {
		return fmt.Errorf("%s/%s: invalid entry: duplicate file", e.Root, e.Rel)
	}
	t.files[rel] = e
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
		t := roots[e.Root]
		if t == nil {
			t = newTree()
			roots[e.Root] = t
		}
		if err := t.add(e.Rel, e); err != nil {
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
	case strings.HasPrefix(p, "/"):
		return fmt.Errorf("absolute path")
	case strings.ContainsAny(p, "\n\x00"):
		return fmt.Errorf("newline or NUL in path")
	}
	for rest, more := p, true; more; {
		var seg string
		seg, rest, more = strings.Cut(rest, "/")
		switch seg {
		case "":
			return fmt.Errorf("empty path segment")
		case ".", "..":
			return fmt.Errorf("%q path segment", seg)
		}
	}
	return nil
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
