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
	r.onHosts("readlink", names, errs, func(hosts []string, es []error) func(k, i int) {
		ts := make([]string, len(hosts))
		readlinksInto(r.base, hosts, ts, es)
		return func(k, i int) { targets[i] = ts[k] }
	})
}

// onHosts is onHost for many machine paths: it sets the error of
// operation op for each relative name, calls batch with the host paths
// of the others (and their errors to fill), and then, for the k-th of
// those, which is names[i], calls the function batch returned and puts
// the error back in machine paths.
func (r *Rooted) onHosts(op string, names []string, errs []error, batch func(hosts []string, es []error) func(k, i int)) {
	hosts := make([]string, 0, len(names))
	at := make([]int, 0, len(names)) // index in names of each host path
	for i, n := range names {
		h, err := r.host(op, n)
		if err != nil {
			errs[i] = err
			continue
		}
		hosts, at = append(hosts, h), append(at, i)
	}
	es := make([]error, len(hosts))
	set := batch(hosts, es)
	for k, i := range at {
		set(k, i)
		errs[i] = r.fix(es[k], false)
	}
}

func (r *Real) readlinks(names, targets []string, errs []error) {
	r.byFolder(names, func(i int) {
		targets[i], errs[i] = os.Readlink(names[i])
	}, func(d *confinedDir, parent string, i, j int, bases []string) {
		d.readlinksIn(parent, names[i:j], bases, targets[i:j], errs[i:j])
	})
}

// byFolder splits names into runs that one resolution can serve: each
// run of consecutive names in one folder below one confined folder goes
// to inFolder (names[i:j], whose paths below d are parent/bases[k]), and
// each name below no confined folder to direct.
func (r *Real) byFolder(names []string, direct func(i int), inFolder func(d *confinedDir, parent string, i, j int, bases []string)) {
	for i := 0; i < len(names); {
		d, rel := r.confined.lookup(names[i])
		if d == nil {
			direct(i)
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
		inFolder(d, parent, i, j, bases)
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
