package system

import (
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// Confine registers dir, a folder whose contents another account
// controls (a user's home when root switches it): from now on every file
// operation on a path below dir is resolved from dir's descriptor and
// never follows a link out of it (see confinement). dir is a host path;
// "/" and relative paths are ignored. The folder is opened when first
// used, so it need not exist yet (a home useradd makes later).
func (r *Real) Confine(dir string) { r.confined.add(dir) }

// anyConfined reports whether any of names is below a confined folder.
func (r *Real) anyConfined(names ...string) bool {
	for _, n := range names {
		if d, _ := r.confined.lookup(n); d != nil {
			return true
		}
	}
	return false
}

// place resolves name for an *at call: below a confined folder, from its
// descriptor; elsewhere, by name as usual.
func (r *Real) place(op, name string) (*place, error) {
	if d, rel := r.confined.lookup(name); d != nil {
		return d.at(op, name, rel)
	}
	return ordinaryPlace(name), nil
}

// openPlace resolves name with its folder open: below a confined folder,
// from its descriptor; elsewhere, the folder opened by name
// (parentPlace).
func (r *Real) openPlace(op, name string) (*place, error) {
	if d, rel := r.confined.lookup(name); d != nil {
		return d.at(op, name, rel)
	}
	return parentPlace(op, name)
}

// places resolves both names of a rename or a link.
func (r *Real) places(op, oldname, newname string) (*place, *place, error) {
	from, err := r.place(op, oldname)
	if err != nil {
		return nil, nil, err
	}
	to, err := r.place(op, newname)
	if err != nil {
		from.close()
		return nil, nil, err
	}
	return from, to, nil
}

// twoNames makes a rename or a link: direct on the names when neither is
// below a confined folder, else at on the places both resolve to.
func (r *Real) twoNames(op, oldname, newname string, direct func(oldname, newname string) error, at func(from, to *place) error) error {
	if !r.anyConfined(oldname, newname) {
		return direct(oldname, newname)
	}
	from, to, err := r.places(op, oldname, newname)
	if err != nil {
		return err
	}
	defer from.close()
	defer to.close()
	return at(from, to)
}

// openReadable opens a regular file for reading; a FIFO, a device or a
// socket is refused before a read could block or never end (O_NONBLOCK
// makes the open itself return at once).
func openReadable(name string) (*fileReader, error) {
	return openReadableFlags(name, 0)
}

// openReadableFlags is openReadable with more open flags (O_NOFOLLOW).
func openReadableFlags(name string, flags int) (*fileReader, error) {
	var fd int
	var err error
	for {
		fd, err = unix.Open(name, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_NOCTTY|unix.O_CLOEXEC|flags, 0)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: name, Err: leased(err)}
	}
	return regularReader(fd, name)
}

// readRegular reads a whole regular file.
func readRegular(name string) ([]byte, error) {
	f, err := openReadable(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAll(f, 0)
}

// readAll reads f to its end into a buffer sized from the fstat it was
// opened with, as os.ReadFile does: io.ReadAll would grow from 512 bytes
// by doubling, allocating and clearing about twice the file (a 5 MB
// resources.json read by every switch cost 20 ms of memclr that way).
// A file of more than max bytes (0: no limit) is refused before it is
// read, and when it grows past max while read.
func readAll(f *fileReader, max int64) ([]byte, error) {
	if max > 0 && f.Size() > max {
		return nil, tooLarge(f.name, max)
	}
	size := 0
	if n := f.Size(); n > 0 && int64(int(n)) == n {
		size = int(n)
	}
	data := make([]byte, 0, size+512) // +512: one read more finds the end
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return data, err
		}
		if max > 0 && int64(len(data)) > max {
			return nil, tooLarge(f.name, max)
		}
		if len(data) >= cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
}

// maxConfinedRead bounds what ReadFile reads whole from below a confined
// folder (a home): its account could put a sparse file of a terabyte
// there, which a buffer sized from its stat would make gocfg die of
// (Go's out of memory is fatal), and every later command's recovery with
// it. What gocfg reads whole there is small: age identities, a managed
// file edited by hand, a user's unit file.
const maxConfinedRead = 64 << 20

// tooLarge is the error of a file of more than max bytes.
func tooLarge(name string, max int64) error {
	return &os.PathError{Op: "read", Path: name, Err: fmt.Errorf("larger than %d MiB, which gocfg does not read whole from a folder another account controls", max>>20)}
}

// GrantRead gives uid read and search access to the folder dir alone (a
// POSIX ACL; errors.ErrUnsupported without one). dir must not be below a
// confined folder: it is for gocfg's own state.
func (r *Real) GrantRead(dir string, uid int) error {
	if d, _ := r.confined.lookup(dir); d != nil {
		return &os.PathError{Op: "setfacl", Path: dir, Err: ErrOutside}
	}
	return grantRead(dir, uid)
}
