package system

import (
	"io/fs"
	"os"
)

// A statReader describes many paths in one call; Real, Rooted and the
// Systems built on baseReads are.
type statReader interface {
	lstats(names []string, infos []fs.FileInfo, errs []error)
}

// Lstats describes the paths names as sys.Lstat would one by one, and
// returns their infos and errors, index for index. On a Real (under a
// Rooted, ReadOnly or DryRun or not), consecutive names in one folder
// below a confined folder share the resolution of that folder, as
// Readlinks's do: a plan checks every folder on the way to the managed
// files of a home (1,100 for the dotfile benchmark, ten to a folder),
// and each Lstat of its own resolves the folder above it with openat2,
// describes the path with fstatat and closes the folder again. Another
// System is asked path by path.
func Lstats(sys System, names []string) ([]fs.FileInfo, []error) {
	infos, errs := make([]fs.FileInfo, len(names)), make([]error, len(names))
	lstatsInto(sys, names, infos, errs)
	return infos, errs
}

func lstatsInto(sys System, names []string, infos []fs.FileInfo, errs []error) {
	if sr, ok := sys.(statReader); ok {
		sr.lstats(names, infos, errs)
		return
	}
	for i, n := range names {
		infos[i], errs[i] = sys.Lstat(n)
	}
}

func (b baseReads) lstats(names []string, infos []fs.FileInfo, errs []error) {
	lstatsInto(b.base, names, infos, errs)
}

func (r *Rooted) lstats(names []string, infos []fs.FileInfo, errs []error) {
	r.onHosts("lstat", names, errs, func(hosts []string, es []error) func(k, i int) {
		is := make([]fs.FileInfo, len(hosts))
		lstatsInto(r.base, hosts, is, es)
		return func(k, i int) { infos[i] = is[k] }
	})
}

func (r *Real) lstats(names []string, infos []fs.FileInfo, errs []error) {
	r.byFolder(names, func(i int) {
		infos[i], errs[i] = os.Lstat(names[i])
	}, func(d *confinedDir, parent string, i, j int, bases []string) {
		d.lstatsIn(parent, names[i:j], bases, infos[i:j], errs[i:j])
	})
}
