package pathtrust

import "io/fs"

// Vetter vets a hit of the evaluation cache (modules/evalcache.Vetter)
// as the Reader vets reads: the files the cached evaluation read, by
// their stat, and the folders they are in, by their way (tester AK: a
// folder made writable by others after the entry was made was still a
// hit). It costs no system call per file: the cache's own stats give
// owner and mode; each folder's way is walked once.
type Vetter struct {
	r Reader
}

// NewVetter vets under p (Leaf and Missing are set).
func NewVetter(p Policy) *Vetter {
	p.Leaf, p.Missing = true, true
	return &Vetter{r: Reader{Policy: p}}
}

// File vets a regular file of owner uid, group gid and mode (st_mode).
func (v *Vetter) File(path string, uid, gid, mode uint32) bool {
	return exposureOf(path, int(uid), int(gid), fs.FileMode(mode&0o777), v.r.Policy, true) == ""
}

// Dir vets a folder and its way.
func (v *Vetter) Dir(path string) bool {
	where, _ := walk(OS, path, v.r.Policy, &v.r.known)
	return where == ""
}
