package generations

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"
	"slices"
)

// A RepairSource gives content with a known hash, to write a damaged
// stored file again.
type RepairSource struct {
	// From says where the content comes from, for people.
	From string
	// Open returns the content; what it gives is checked against the
	// hash as it is copied.
	Open func() (io.ReadCloser, error)
}

// A Repaired is a damage Repair put right.
type Repaired struct {
	Damage *Damage
	// How says what was done, for people: "written again from <file>",
	// "taken out of the folder", "its mode put back".
	How string
}

// An Unrepaired is a damage Repair could not put right, and why.
type Unrepaired struct {
	Damage *Damage
	Why    string
}

// Repair writes again, under their names, the damaged objects of r whose
// listing is known: every entry that verified is kept; a damaged file is
// given the content its generations recorded (Damage.Want), taken from
// an intact stored file with that hash, else from source; a file only
// made writable gets its mode back; an entry no generation put there is
// taken out. The listing the object should have (what verified and what
// the generations recorded) must hash to the object's name, so nothing
// but the object's own content is ever written under it. A damaged file
// that no source gives is kept as it is (made read-only again) and
// returned with the reason, with the object's damage that cannot be
// placed. The damaged object is renamed aside, the new one into place,
// and the changed bytes are kept (EditedPath).
//
// Repair changes the store: take Lock first.
func (s *Store) Repair(r *Report, source func(hash string) (RepairSource, bool)) ([]Repaired, []Unrepaired, error) {
	byObject := map[string][]*Damage{}
	var keys []string
	var fixed []Repaired
	var failed []Unrepaired
	for _, d := range r.Damaged {
		if d.Object == "" {
			failed = append(failed, Unrepaired{d, "the generation's link to its files is not gocfg's; delete the generation (gocfg generations delete)"})
			continue
		}
		k := d.Area + "/" + d.Object
		if _, ok := byObject[k]; !ok {
			keys = append(keys, k)
		}
		byObject[k] = append(byObject[k], d)
	}
	for _, k := range keys {
		ds := byObject[k]
		how, why, err := s.repairObject(r.v, r.v.checks[k], ds, source)
		if err != nil {
			return fixed, failed, err
		}
		for _, d := range ds {
			if h, ok := how[d.Name]; ok {
				fixed = append(fixed, Repaired{d, h})
			} else {
				failed = append(failed, Unrepaired{d, why[d.Name]})
			}
		}
	}
	s.saveSigs()
	return fixed, failed, nil
}

// repairObject writes the object c again from what verified and what
// its generations recorded of its damaged entries ds. It returns, by
// entry name, how each damage was put right or why it was not.
func (s *Store) repairObject(v *verifier, c *objCheck, ds []*Damage, source func(string) (RepairSource, bool)) (map[string]string, map[string]string, error) {
	how, why := map[string]string{}, map[string]string{}
	fail := func(reason string) (map[string]string, map[string]string, error) {
		for _, d := range ds {
			why[d.Name] = reason
		}
		return how, why, nil
	}
	if c == nil || c.missing != "" {
		return fail("the folder is missing: what it held is not known; delete the generations that use it")
	}
	damaged := map[string]*Damage{}
	for _, d := range ds {
		if d.Name == "" {
			return fail("which of its files changed is not known (no generation records them)")
		}
		damaged[d.Name] = d
	}
	// The listing the object should have.
	want := newTree()
	want.hash = c.hash
	for _, e := range c.entries {
		d := damaged[e.name]
		switch {
		case e.sub != "":
			want.dirs[e.name] = &tree{hash: e.sub}
		case d == nil:
			want.files[e.name] = &Entry{Hash: e.hash, Exec: e.exec}
		case d.stray:
		case d.Want != "":
			want.files[e.name] = &Entry{Hash: d.Want, Exec: d.wantExec}
		case e.hash == "":
			return fail("it cannot be read")
		default:
			want.files[e.name] = &Entry{Hash: e.hash, Exec: e.exec}
		}
	}
	for name, d := range damaged {
		if _, ok := c.entry(name); !ok && d.Want != "" && !d.stray {
			want.files[name] = &Entry{Hash: d.Want, Exec: d.wantExec}
		}
	}
	sortNames(want)
	if got := listingHash(want, false); got != c.hash && listingHash(want, true) != c.hash && !s.isKeyedName(c.area, c.hash, got) {
		return fail(fmt.Sprintf("the listing rebuilt from what its generations record hashes to %s, not to its name", short(got)))
	}
	// What is written: the listing, except the damaged files no source
	// gives, which are kept as they are.
	t := newTree()
	t.hash = c.hash
	for name, sub := range want.dirs {
		t.dirs[name] = sub
	}
	for name, w := range want.files {
		q := filepath.Join(c.path, name)
		e, found := c.entry(name)
		d := damaged[name]
		en := &Entry{Root: c.area, Rel: c.hash + "/" + name, Hash: w.Hash, Exec: w.Exec}
		switch {
		case d == nil || (found && e.hash == w.Hash):
			en.Have, en.Open = q, s.opener(q)
			if d != nil {
				how[name] = "its mode put back"
			}
		default:
			from, open, ok := s.repairSource(v, w.Hash, source)
			if !ok {
				// A secret's ciphertext comes from its .age file, never from
				// text (tester BA).
				why[name] = fmt.Sprintf("no source gives its recorded content %s: it came from text in the configuration, or its source file (a file's source, a secret's .age file) has changed since; kept as it is", short(w.Hash))
				if !found || e.hash == "" {
					why[name] = fmt.Sprintf("no source gives its recorded content %s: it came from text in the configuration, or its source file (a file's source, a secret's .age file) has changed since", short(w.Hash))
					continue
				}
				en.Hash, en.Have, en.Open = e.hash, q, s.opener(q)
				break
			}
			en.Open = open
			how[name] = "written again from " + from
		}
		t.files[name] = en
	}
	for name, d := range damaged {
		if d.stray {
			how[name] = "taken out of the folder"
		}
	}
	if len(how) == 0 {
		return how, why, nil
	}
	sortNames(t)
	for _, d := range ds {
		if d.Got != "" && d.Got != t.fileHash(d.Name) {
			if err := s.keepEdited(filepath.Join(c.path, d.Name), d.Got); err != nil {
				return nil, nil, err
			}
		}
	}
	w := &treeWriter{sys: s.sys, store: filepath.Join(s.dir, storeDir), st: s}
	if err := w.write(object{area: Area{Name: c.area, UID: -1, GID: -1}, t: t, replace: true}); err != nil {
		return nil, nil, err
	}
	return how, why, nil
}

// repairSource returns where content hash can be taken from: an intact
// stored file that has it, else source.
func (s *Store) repairSource(v *verifier, hash string, source func(string) (RepairSource, bool)) (string, func() (io.ReadCloser, error), bool) {
	if p, ok := v.intact[hash]; ok {
		return p, s.opener(p), true
	}
	if source == nil {
		return "", nil, false
	}
	src, ok := source(hash)
	if !ok {
		return "", nil, false
	}
	return src.From, src.Open, true
}

// sortNames sets t.names from its files and subtrees.
func sortNames(t *tree) {
	t.names = t.names[:0]
	for name := range t.files {
		t.names = append(t.names, name)
	}
	for name := range t.dirs {
		t.names = append(t.names, name)
	}
	slices.Sort(t.names)
}

// fileHash returns the content hash of t's file name, "" when it has
// none.
func (t *tree) fileHash(name string) string {
	if e, ok := t.files[name]; ok {
		return e.Hash
	}
	return ""
}

// Kept is an entry of a new generation that keeps generation n's stored
// file root/rel (content hash, executable or not) unchanged: hard linked
// from there, or copied from it and checked against hash. It is how a
// provider carries what it leaves as it is (a held home).
func (s *Store) Kept(n int, root, rel, hash string, exec bool) Entry {
	p := s.FilePath(n, root, rel)
	return Entry{Root: root, Rel: rel, Hash: hash, Exec: exec, Have: p, Open: s.opener(p)}
}

// opener opens the store file p.
func (s *Store) opener(p string) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return s.sys.Open(p) }
}

// listingHash is the hash of t's listing, as tree.finish computes it
// (or, with legacy, as it did before executable files were listed as
// 0555), with the subtrees' hashes as they are.
func listingHash(t *tree, legacy bool) string {
	h := sha256.New()
	for _, name := range t.names {
		if e, ok := t.files[name]; ok {
			mode := fmt.Sprintf("%04o", fileMode(e.Exec))
			if legacy {
				mode = legacyMode(e.Exec)
			}
			fmt.Fprintf(h, "f %s %s %s\n", mode, e.Hash, name)
		} else {
			fmt.Fprintf(h, "d %s %s\n", t.dirs[name].hash, name)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
