package system

// A fileMapper maps files into memory instead of reading them; Real (on
// Linux), Rooted and the Systems built on baseReads are.
type fileMapper interface {
	mapFile(name string) ([]byte, error)
}

// MapFile returns the content of the regular file name as sys.ReadFile
// does, mapped read-only into memory where it can be (a Real, under a
// Rooted, ReadOnly or DryRun or not, on Linux, outside a confined
// folder) and read where it cannot.
//
// It is for a file that is never changed in place, such as a
// generation's records (written once into a new folder, which is then
// renamed into place): the mapping is never undone, so the bytes stay
// valid for as long as the process runs, and a file cut short in place
// while mapped would end the process (SIGBUS) where a page past its new
// end is read.
//
// Why: a switch reads the current generation's resources.json (4.9 MB
// for 10,000 dotfiles) and keeps it, since the records decoded from it
// share its strings. Read, it is that much fresh memory of the process,
// a page fault for each page it fills; on the bench machine a fresh page
// costs more than reading it (see bench/README.md). Mapped, it is the
// page cache's pages, which the kernel has already.
func MapFile(sys System, name string) ([]byte, error) {
	if m, ok := sys.(fileMapper); ok {
		return m.mapFile(name)
	}
	return sys.ReadFile(name)
}

func (b baseReads) mapFile(name string) ([]byte, error) { return MapFile(b.base, name) }

func (r *Rooted) mapFile(name string) ([]byte, error) {
	return onHost(r, "open", name, func(h string) ([]byte, error) { return MapFile(r.base, h) })
}
