package system

import (
	"os"
	"strings"
)

// A linkReader reads many links in one call; Real, Rooted and the
// Systems built on baseReads are.
type linkReader interface {
	readlinks(names, targets []string, errs []error)
}

// Readlinks reads the links names as sys.Readlink would one by one, and
// returns their targets and errors, index for index. On a Real (under a
// Rooted, ReadOnly or DryRun or not), consecutive names in one folder
// below a confined folder share the resolution of that folder: one
// openat2 for them all instead of one per link (the files provider reads
// every managed link of a home, 10,000 for the dotfile benchmark, in
// each switch). Another System is asked link by link.
func Readlinks(sys System, names []string) ([]string, []error) {
	targets, errs := make([]string, len(names)), make([]error, len(names))
	readlinksInto(sys, names, targets, errs)
	return targets, errs
}

func readlinksInto(sys System, names, targets []string, errs []error) {
	if lr, ok := sys.(linkReader); ok {
		lr.readlinks(names, targets, errs)
		return
	}
	for i, n := range names {
		targets[i], errs[i] = sys.Readlink(n)
	}
}

func (b baseReads) readlinks(names, targets []string, errs []error) {
	readlinksInto(b.base, names, targets, errs)
}

func (r *Rooted) readlinks(names, targets []string, errs []error) {
	hosts := make([]string, 0, len(names))
	at := make([]int, 0, len(names)) // index in names of each host path
	for i, n := range names {
		h, err := r.host("readlink", n)
		if err != nil {
			errs[i] = err
			continue
		}
		hosts, at = append(hosts, h), append(at, i)
	}
	ts, es := make([]string, len(hosts)), make([]error, len(hosts))
	readlinksInto(r.base, hosts, ts, es)
	for k, i := range at {
		targets[i], errs[i] = ts[k], r.fix(es[k], false)
	}
}

func (r *Real) readlinks(names, targets []string, errs []error) {
	for i := 0; i < len(names); {
		d, rel := r.confined.lookup(names[i])
		if d == nil {
			targets[i], errs[i] = os.Readlink(names[i])
			i++
			continue
		}
		parent, _ := splitRel(rel)
		bases := []string{}
		j := i
		for ; j < len(names); j++ {
			dj, relj := d, rel
			if j > i {
				dj, relj = r.confined.lookup(names[j])
			}
			pj, bj := splitRel(relj)
			if dj != d || pj != parent {
				break
			}
			bases = append(bases, bj)
		}
		d.readlinksIn(parent, names[i:j], bases, targets[i:j], errs[i:j])
		i = j
	}
}

// splitRel splits a slash path below a confined folder into its folder
// ("" for the confined folder itself) and its last element, as
// confinedDir.at does.
func splitRel(rel string) (parent, base string) {
	if i := strings.LastIndexByte(rel, '/'); i >= 0 {
		return rel[:i], rel[i+1:]
	}
	return "", rel
}
