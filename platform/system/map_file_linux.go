package system

import "golang.org/x/sys/unix"

// mapFile maps the regular file name read-only (MAP_POPULATE: its pages
// are mapped in one call, not a fault at a time). A file below a
// confined folder, an empty one (procfs files say size 0) and one the
// kernel will not map are read instead.
func (r *Real) mapFile(name string) ([]byte, error) {
	if d, _ := r.confined.lookup(name); d != nil {
		return r.ReadFile(name)
	}
	f, err := openReadable(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := f.Size()
	if size <= 0 || int64(int(size)) != size {
		return readAll(f)
	}
	b, err := unix.Mmap(f.fd, 0, int(size), unix.PROT_READ, unix.MAP_PRIVATE|unix.MAP_POPULATE)
	if err != nil {
		return readAll(f) // a folder, or a file system that cannot map: ReadFile's answer
	}
	return b, nil
}
