package system

import (
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"

	"github.com/gocfg/gocfg/internal/mapfault"
)

// maxMappedLog bounds what MapLog reserves: a switch's log needs about
// 9 bytes an op (1 MiB is over 100,000 ops).
const maxMappedLog = 64 << 20

// MapLog makes appending a line to the empty regular file that w (from
// OpenAppend) writes a store into memory instead of a write(2): it
// reserves size bytes for the file with fallocate(2), maps them shared,
// and copies each Write into the mapping. The lines are in the page
// cache as soon as they are copied, as a write(2)'s are, so a process
// killed right after one leaves it in the file; neither is on the disk
// before the kernel writes it back (a switch's journal log is written
// without an fsync per line either way). A switch marks every op done
// in its log: 10,000 system calls for 10,000 dotfiles, about 8 % of a
// first switch here.
//
// Until Close, the file holds the lines written followed by fill bytes
// up to size (what a reader of a killed writer's file sees); Close cuts
// it to the lines. The fill is written through the mapping like the
// lines, so that a reader can tell it from the NUL bytes a power loss
// leaves where the page cache never reached the disk. A write that does
// not fit in what is left spills: the fill is cut and it and every later
// write are write(2)s. A fault writing the mapping (the file truncated
// under it, a storage error) is the Write's error, not a crash.
//
// w is returned as it is when it is not an *os.File, the file is not
// empty, size is out of range, or the file system cannot reserve or map
// it (then nothing was changed: a failed reservation is cut back).
func MapLog(w io.WriteCloser, size int64, fill byte) io.WriteCloser {
	f, ok := w.(*os.File)
	if !ok || size <= 0 || size > maxMappedLog {
		return w
	}
	m, err := mapLog(f, size, fill)
	if err != nil {
		return w
	}
	return m
}

// A mappedLog is MapLog's writer.
type mappedLog struct {
	f       *os.File
	fd      int
	buf     []byte // the mapping; nil once unmapped
	off     int    // bytes written
	spilled bool   // writes go to the file with write(2)
	err     error  // a fault: every later Write fails
}

func mapLog(f *os.File, size int64, fill byte) (*mappedLog, error) {
	raw, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	fd := -1
	if err := raw.Control(func(u uintptr) { fd = int(u) }); err != nil {
		return nil, err
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return nil, err
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG || st.Size != 0 {
		return nil, errors.New("not an empty regular file")
	}
	if err := unix.Fallocate(fd, 0, 0, size); err != nil {
		_ = unix.Ftruncate(fd, 0)
		return nil, err
	}
	b, err := unix.Mmap(fd, 0, int(size), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		_ = unix.Ftruncate(fd, 0)
		return nil, err
	}
	m := &mappedLog{f: f, fd: fd, buf: b}
	if !mapfault.Run(b, func() { fillBytes(b, fill) }) {
		_ = m.unmap()
		return nil, errors.New("the mapping faulted")
	}
	return m, nil
}

// Write appends p.
func (m *mappedLog) Write(p []byte) (int, error) {
	if m.err != nil {
		return 0, m.err
	}
	if !m.spilled && len(p) > len(m.buf)-m.off {
		if err := m.spill(); err != nil {
			return 0, err
		}
	}
	if m.spilled {
		n, err := fdWriter(m.fd).Write(p)
		m.off += n
		return n, err
	}
	if dst := m.buf[m.off:]; !mapfault.Run(dst, func() { copy(dst, p) }) {
		m.err = &os.PathError{Op: "write", Path: m.f.Name(), Err: errors.New("the mapped log faulted (truncated under it, or a storage error)")}
		return 0, m.err
	}
	m.off += len(p)
	return len(p), nil
}

// spill unmaps the log and cuts its fill, so that write(2) (the
// file is O_APPEND) continues it where the lines end.
func (m *mappedLog) spill() error {
	if err := m.unmap(); err != nil {
		return err
	}
	m.spilled = true
	return nil
}

func (m *mappedLog) unmap() error {
	if m.buf == nil {
		return nil
	}
	err := unix.Munmap(m.buf)
	m.buf = nil
	if err == nil {
		err = unix.Ftruncate(m.fd, int64(m.off))
	}
	if err != nil {
		m.err = &os.PathError{Op: "write", Path: m.f.Name(), Err: err}
		return m.err
	}
	return nil
}

// Sync makes the lines written so far durable: fsync(2) writes back the
// mapping's dirty pages as it does the file's.
func (m *mappedLog) Sync() error {
	if m.err != nil {
		return m.err
	}
	if err := unix.Fsync(m.fd); err != nil {
		return &os.PathError{Op: "sync", Path: m.f.Name(), Err: err}
	}
	return nil
}

// Close cuts the file to the lines written and closes it.
func (m *mappedLog) Close() error {
	err := m.unmap()
	if cerr := m.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("close %s: %w", m.f.Name(), err)
	}
	return nil
}

// fillBytes sets every byte of b to c.
func fillBytes(b []byte, c byte) {
	for i := range b {
		b[i] = c
	}
}
