package generations

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// VerifyOptions say what Store.Verify checks, and how.
type VerifyOptions struct {
	// Generations are the generations whose objects are checked; nil
	// checks every one.
	Generations []int
	// Expect, when set, returns what generation gen recorded of the file
	// rel under the files root root: its content hash and whether it is
	// executable. It names the damaged files of an object whose listing
	// no longer hashes to its name (the listing itself is not stored: it
	// is the object's name), and says what they should hold for Repair.
	Expect func(gen int, root, rel string) (hash string, exec, ok bool)
	// Complete, when set, reports whether Expect knows every file that
	// generation gen stores under root: a file it does not know, in an
	// object whose listing does not hash to its name, was put there.
	Complete func(gen int, root string) bool
	// Roots, when set, returns the files roots generation gen's records
	// store files under: one its files tree lacks is damage (its links
	// in homes and /etc would lead nowhere).
	Roots func(gen int) []string
	// Cached takes a file's content hash from the signature cache when
	// its stat signature is the recorded one (cheap: a rollback's check).
	// Otherwise every file is read (gocfg store verify).
	Cached bool
}

// A Report is what Store.Verify found.
type Report struct {
	// Generations are the generations checked.
	Generations []int
	// Objects and Files count the tree objects and the files checked.
	Objects, Files int
	// Damaged lists what is damaged, by path.
	Damaged []*Damage

	v *verifier
}

// A Damage is one damaged tree object, or one damaged entry of one.
type Damage struct {
	// Path is the machine path of the object, or of the entry in it (or
	// of a generation's files root link that leads nowhere valid).
	Path string
	// Area and Object name the tree object (store/<Area>/<Object>); Name
	// is the damaged entry in it, "" for the object as a whole.
	Area, Object, Name string
	// Problem says what is wrong, for people.
	Problem string
	// Got is the file's content hash now ("" when not known); Want the
	// one recorded ("" when no generation says).
	Got, Want string
	// Uses are the generations, and the paths in their files trees, that
	// reach it.
	Uses []Use

	wantExec bool
	// stray: an entry no generation put there, left out by Repair.
	stray bool
}

// A Use is a path of a generation's files tree that reaches a damaged
// object or file.
type Use struct {
	Generation int
	// Root is the files root ("home/alice", "etc"); Rel the path under it
	// ("" for the root itself).
	Root, Rel string
}

// Verify checks every tree object the given generations reach, as `nix-store
// --verify --check-contents` does: each entry a regular file of mode
// 0444 or 0555 or a subtree link ../<hash> to an object that exists, and
// the listing of what is there (with every file's content hashed) hashing
// to the object's name. The damaged files of an object are named with
// opts.Expect; an object whose damage it cannot place is reported whole.
// What was read is remembered for the signature cache (see CheckFiles).
// Nothing is written.
func (s *Store) Verify(opts VerifyOptions) (*Report, error) {
	nums := opts.Generations
	if nums == nil {
		var err error
		if nums, err = s.Numbers(); err != nil {
			return nil, err
		}
	}
	v := &verifier{s: s, opts: opts, checks: map[string]*objCheck{}, clean: map[string]bool{},
		damage: map[string]*Damage{}, intact: map[string]string{}, onPath: map[string]bool{}, visits: map[walkKey]int{}}
	type rootUse struct {
		n          int
		root       string
		area, hash string
	}
	var roots []rootUse
	for _, n := range nums {
		links, err := s.rootLinks(n)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		have := map[string]bool{}
		for _, l := range links {
			have[l.root] = true
		}
		if opts.Roots != nil {
			for _, root := range opts.Roots(n) {
				if !have[root] {
					v.add(&Damage{Path: s.FilePath(n, root, ""), Problem: "missing: the generation's records store files under it"}, Use{n, root, ""})
				}
			}
		}
		for _, l := range links {
			if l.err != nil {
				v.add(&Damage{Path: l.path, Problem: l.err.Error()}, Use{n, l.root, ""})
				continue
			}
			roots = append(roots, rootUse{n, l.root, l.area, l.hash})
		}
	}
	// Check every object reachable, a layer of subtrees at a time, the
	// objects of a layer concurrently.
	var layer []string
	for _, r := range roots {
		layer = append(layer, r.area+"/"+r.hash)
	}
	for len(layer) > 0 {
		layer = v.checkLayer(layer)
	}
	for _, r := range roots {
		v.walk(r.n, r.root, "", r.area, r.hash)
	}
	rep := &Report{Generations: nums, Objects: len(v.checks), Files: v.files, v: v}
	for _, d := range v.damage {
		rep.Damaged = append(rep.Damaged, d)
	}
	slices.SortFunc(rep.Damaged, func(a, b *Damage) int { return strings.Compare(a.Path, b.Path) })
	return rep, nil
}

// A rootLink is the link of a files root in a generation's files tree.
type rootLink struct {
	path, root, area, hash string
	err                    error
}

// rootLinks returns the files root links of generation n.
func (s *Store) rootLinks(n int) ([]rootLink, error) {
	var links []rootLink
	var walk func(p, rel string) error
	walk = func(p, rel string) error {
		des, err := s.readDir(p)
		if err != nil {
			return err
		}
		for _, de := range des {
			q := filepath.Join(p, de.Name())
			r := path.Join(rel, de.Name())
			switch {
			case de.Type()&fs.ModeSymlink != 0:
				l := rootLink{path: q, root: r}
				target, err := s.sys.Readlink(q)
				if err == nil {
					l.area, l.hash, err = s.rootObject(q, target)
				}
				l.err = err
				links = append(links, l)
			case de.IsDir():
				if err := walk(q, r); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return links, walk(filepath.Join(s.Path(n), filesDir), "")
}

// A verifier holds one Verify's findings.
type verifier struct {
	s    *Store
	opts VerifyOptions

	mu     sync.Mutex
	checks map[string]*objCheck // area/hash → what is there
	files  int
	// intact maps a content hash to a stored file that has it, in an
	// object that verified: a source for Repair.
	intact map[string]string

	clean  map[string]bool    // area/hash → it and every subtree verified
	damage map[string]*Damage // area/hash/name → damage

	// onPath are the objects walk is inside of (area/hash), and visits
	// how often walk went into each object for a generation's root:
	// reviewer R10, a folder whose entry links back to it made store
	// verify, doctor and rollback's check spin, and 26 folders that
	// each link twice to the next one took 2^26 walks.
	onPath map[string]bool
	visits map[walkKey]int
}

// A walkKey is an object as a generation's files root reaches it.
type walkKey struct {
	n                int
	root, area, hash string
}

// maxWalkVisits is how many of the places where a generation's root
// reaches one object walk looks at: an object stored once for several
// identical folders is walked from so many of them, its damage listed
// with so many uses, no more.
const maxWalkVisits = 8

// An objCheck is what one tree object holds.
type objCheck struct {
	area, hash, path string
	// missing says why the object is not there to check ("" when it is).
	missing string
	entries []objEntry
	// problems are entries that cannot be gocfg's, by name.
	problems map[string]string
	// listing is the hash of the listing of what is there.
	listing string
}

// ok reports whether the object is exactly what its name says.
func (c *objCheck) ok() bool {
	return c.missing == "" && len(c.problems) == 0 && c.listing == c.hash
}

// An objEntry is one entry of a tree object.
type objEntry struct {
	name string
	// sub is the subtree a link leads to ("" for a file).
	sub string
	// hash is a file's content hash ("" when unreadable); exec whether
	// its mode is 0555 (or, for a wrong mode, whether it is executable).
	hash string
	exec bool
	perm fs.FileMode
}

// checkLayer checks the objects keys (area/hash) not checked yet,
// concurrently, and returns the subtrees they lead to.
func (v *verifier) checkLayer(keys []string) []string {
	var todo []string
	for _, k := range keys {
		if _, ok := v.checks[k]; !ok {
			v.checks[k] = nil
			todo = append(todo, k)
		}
	}
	res := make([]*objCheck, len(todo))
	forEach(len(todo), func(j int) {
		area, hash, _ := strings.Cut(todo[j], "/")
		res[j] = v.check(area, hash)
	})
	var subs []string
	for j, k := range todo {
		c := res[j]
		v.checks[k] = c
		for _, e := range c.entries {
			if e.sub != "" {
				subs = append(subs, c.area+"/"+e.sub)
			}
		}
	}
	return subs
}

// check reads the tree object area/hash.
func (v *verifier) check(area, hash string) *objCheck {
	s := v.s
	c := &objCheck{area: area, hash: hash, path: filepath.Join(s.dir, storeDir, area, hash), problems: map[string]string{}}
	fi, err := s.sys.Lstat(c.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		c.missing = "missing"
		return c
	case err != nil:
		c.missing = "unreadable: " + unwrapPath(err).Error()
		return c
	case !fi.IsDir():
		c.missing = describeMode(fi.Mode()) + ", not a tree object"
		return c
	}
	des, err := s.sys.ReadDir(c.path)
	if err != nil {
		c.missing = "unreadable: " + unwrapPath(err).Error()
		return c
	}
	// Objects with executable files written before gocfg listed them as
	// 0555 were named from a listing that said 0455: both are accepted.
	listing, legacy := sha256.New(), sha256.New()
	files := 0
	for _, de := range des {
		name := de.Name()
		q := filepath.Join(c.path, name)
		e := objEntry{name: name}
		switch {
		case de.Type()&fs.ModeSymlink != 0:
			target, err := s.sys.Readlink(q)
			sub, ok := strings.CutPrefix(target, "../")
			if err != nil || !ok || !isHash(sub) {
				c.problems[name] = fmt.Sprintf("a link to %q, not to a subtree", target)
				continue
			}
			e.sub = sub
			fmt.Fprintf(listing, "d %s %s\n", sub, name)
			fmt.Fprintf(legacy, "d %s %s\n", sub, name)
		case de.Type().IsRegular():
			files++
			fi, err := de.Info()
			if err != nil {
				c.problems[name] = "unreadable: " + unwrapPath(err).Error()
				continue
			}
			e.perm = fi.Mode().Perm()
			e.exec = e.perm&0o111 != 0
			if e.perm != fileMode(e.exec) {
				c.problems[name] = fmt.Sprintf("mode %04o, not 0444 or 0555", e.perm)
			}
			if e.hash, err = s.storedHash(q, fi, v.opts.Cached); err != nil {
				c.problems[name] = "unreadable: " + unwrapPath(err).Error()
				continue
			}
			fmt.Fprintf(listing, "f %04o %s %s\n", fileMode(e.exec), e.hash, name)
			fmt.Fprintf(legacy, "f %s %s %s\n", legacyMode(e.exec), e.hash, name)
		default:
			c.problems[name] = describeMode(de.Type()) + ", not a file or a subtree link"
			continue
		}
		c.entries = append(c.entries, e)
	}
	c.listing = hex.EncodeToString(listing.Sum(nil))
	if old := hex.EncodeToString(legacy.Sum(nil)); old == hash {
		c.listing = old
	} else if c.listing != hash && s.isKeyedName(area, hash, c.listing) {
		// A files root's object (root_name.go).
		c.listing = hash
	}
	v.mu.Lock()
	v.files += files
	if c.ok() {
		for _, e := range c.entries {
			if e.sub == "" {
				v.intact[e.hash] = filepath.Join(c.path, e.name)
			}
		}
	}
	v.mu.Unlock()
	return c
}

// deepClean reports whether the object area/hash and every subtree under
// it verified.
func (v *verifier) deepClean(area, hash string) bool {
	key := area + "/" + hash
	if ok, done := v.clean[key]; done {
		return ok
	}
	v.clean[key] = false // a cycle is not clean
	c := v.checks[key]
	ok := c != nil && c.ok()
	for _, e := range c.entriesOrNil() {
		if e.sub != "" && !v.deepClean(area, e.sub) {
			ok = false
		}
	}
	v.clean[key] = ok
	return ok
}

// entry returns the entry name of the object.
func (c *objCheck) entry(name string) (objEntry, bool) {
	for _, e := range c.entries {
		if e.name == name {
			return e, true
		}
	}
	return objEntry{}, false
}

func (c *objCheck) entriesOrNil() []objEntry {
	if c == nil {
		return nil
	}
	return c.entries
}

// walk records, for generation n, the damage under the object area/hash
// that the path rel of the files root root reaches.
func (v *verifier) walk(n int, root, rel, area, hash string) {
	if v.deepClean(area, hash) {
		return
	}
	key := area + "/" + hash
	c := v.checks[key]
	use := Use{n, root, rel}
	if v.onPath[key] {
		return // reported where the link is (below)
	}
	wk := walkKey{n, root, area, hash}
	if v.visits[wk] >= maxWalkVisits {
		return
	}
	v.visits[wk]++
	v.onPath[key] = true
	defer delete(v.onPath, key)
	if c.missing != "" {
		v.add(&Damage{Path: c.path, Area: area, Object: hash, Problem: "the tree object is " + c.missing}, use)
		return
	}
	if !c.ok() {
		placed := false
		for _, name := range sortedKeys(c.problems) {
			d := &Damage{Path: filepath.Join(c.path, name), Area: area, Object: hash, Name: name, Problem: c.problems[name]}
			v.expect(d, n, root, path.Join(rel, name))
			if e, ok := c.entry(name); ok {
				d.Got = e.hash
				if d.Want != "" && e.hash != "" && e.hash != d.Want {
					d.Problem = fmt.Sprintf("content changed in place (content %s, recorded %s); %s", short(e.hash), short(d.Want), d.Problem)
				}
			}
			v.add(d, Use{n, root, path.Join(rel, name)})
			placed = true
		}
		for _, e := range c.entries {
			if e.sub != "" || c.problems[e.name] != "" || v.opts.Expect == nil {
				continue
			}
			r := path.Join(rel, e.name)
			want, exec, ok := v.opts.Expect(n, root, r)
			if !ok || (want == e.hash && exec == e.exec) {
				continue
			}
			d := &Damage{Path: filepath.Join(c.path, e.name), Area: area, Object: hash, Name: e.name, Got: e.hash, Want: want, wantExec: exec}
			if want != e.hash {
				d.Problem = fmt.Sprintf("content changed in place (content %s, recorded %s)", short(e.hash), short(want))
			} else {
				d.Problem = fmt.Sprintf("mode %04o, recorded %04o", e.perm, fileMode(exec))
			}
			v.add(d, Use{n, root, r})
			placed = true
		}
		if !placed && c.listing != c.hash && v.opts.Complete != nil && v.opts.Complete(n, root) {
			for _, e := range c.entries {
				r := path.Join(rel, e.name)
				if _, _, ok := v.opts.Expect(n, root, r); e.sub == "" && !ok {
					v.add(&Damage{Path: filepath.Join(c.path, e.name), Area: area, Object: hash, Name: e.name, Got: e.hash,
						Problem: "not in the listing: put there by hand", stray: true}, Use{n, root, r})
					placed = true
				}
			}
		}
		if !placed && c.listing != c.hash {
			problem := fmt.Sprintf("its listing hashes to %s, not to its name (no generation records which file changed)", short(c.listing))
			if key, err := v.s.loadKey(false); rel == "" && (key == nil || err != nil) {
				// A files root's object is named with the key (tester
				// AF: a state folder restored without it).
				problem += fmt.Sprintf("; the store's key, which names files roots' objects, cannot be read (%s): restore it with the state folder", keyProblem(v.s.keyPath(), err))
			}
			v.add(&Damage{Path: c.path, Area: area, Object: hash, Problem: problem}, use)
		}
	}
	for _, e := range c.entries {
		switch {
		case e.sub == "":
		case v.onPath[area+"/"+e.sub]:
			v.add(&Damage{Path: filepath.Join(c.path, e.name), Area: area, Object: hash, Name: e.name,
				Problem: "a link back to a folder it is in (a cycle: not gocfg's)"}, Use{n, root, path.Join(rel, e.name)})
		default:
			v.walk(n, root, path.Join(rel, e.name), area, e.sub)
		}
	}
}

// expect fills in what generation n recorded of the damaged entry d.
func (v *verifier) expect(d *Damage, n int, root, rel string) {
	if v.opts.Expect == nil || d.Want != "" {
		return
	}
	if want, exec, ok := v.opts.Expect(n, root, rel); ok {
		d.Want, d.wantExec = want, exec
	}
}

// add records d (or adds use to the damage recorded at the same place).
func (v *verifier) add(d *Damage, use Use) {
	key := d.Area + "/" + d.Object + "/" + d.Name
	if d.Object == "" {
		key = d.Path
	}
	if have, ok := v.damage[key]; ok {
		if have.Want == "" && d.Want != "" {
			have.Want, have.wantExec = d.Want, d.wantExec
		}
		if !slices.Contains(have.Uses, use) {
			have.Uses = append(have.Uses, use)
		}
		return
	}
	d.Uses = []Use{use}
	v.damage[key] = d
}

// legacyMode is how listings written before gocfg listed executable
// files as 0555 gave their mode.
func legacyMode(exec bool) string {
	if exec {
		return "0455"
	}
	return "0444"
}
