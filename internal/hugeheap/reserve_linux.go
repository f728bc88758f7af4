package hugeheap

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"unsafe"

	"github.com/gocfg/gocfg/internal/hugestart"
	"golang.org/x/sys/unix"
)

// thpDir holds the kernel's transparent huge page settings.
const thpDir = hugestart.ThpDir

// advised is the address range a reservation marked (beg to end, as
// numbers: the memory is the heap's, free), in huge pages of size; the
// zero value when it marked none.
type advised struct {
	beg, end, size uintptr
}

// reserved is Reserve's work: nothing where the process's start found
// huge pages dearer than small ones (dear; see hugestart.Dear); else the
// reservation, whose first huge pages keepIfCheap then tries.
func reserved(n int) bool {
	if dear() {
		return false
	}
	a := reserve(n)
	if a == (advised{}) {
		return false
	}
	keepIfCheap(a, populateNs, hugestart.Worth)
	return true
}

// dear is hugestart.Dear; the tests set it.
var dear = hugestart.Dear

// reserve does Reserve's work and returns the range it marked.
func reserve(n int) advised {
	size := hugePageSize(thpDir, n)
	if size == 0 || hugestart.DisabledByGODEBUG(os.Getenv("GODEBUG")) || addressSpaceLimited() || strictOvercommit() || memoryLimited() {
		return advised{}
	}
	// A run of pages of its own, from where the heap's free pages start
	// (see collapse).
	probeSink = make([]byte, probeBytes)
	probe := uintptr(unsafe.Pointer(unsafe.SliceData(probeSink)))
	probeSink = nil
	// The range must be free before the work starts, or the work's
	// allocations go past it. An allocation that starts a collection is
	// kept by that collection (it is made during it), so none may start
	// while it is made; the collection after it then frees it, and one
	// is run here so that it is freed now, not at some later point of
	// the work.
	percent := debug.SetGCPercent(-1)
	a, err := advise(make([]byte, n), size)
	debug.SetGCPercent(percent)
	runtime.GC()
	if err != nil {
		return advised{}
	}
	_ = collapse(probe&^(chunkBytes-1), a.beg, size)
	return a
}

// probeHugePages is how many huge pages at the start of the range
// keepIfCheap populates, one at a time, to see what they cost.
const probeHugePages = 4

// keepIfCheap populates the first huge pages of the range a (the first
// the work fills) one at a time, timing each with populate; at the
// first one that worth finds dearer than the small pages it stands for,
// it marks the rest of the range MADV_NOHUGEPAGE and returns the range
// cut after that page. hugestart's probe, at start, sees one huge page;
// right after a pause the kernel may have a few huge pages that the host
// still backs and none more (see "When huge pages are dear" there):
// a cold evaluation in which the start's probe found a cheap one then
// took 151 ms in huge pages, against about 93 in small ones. The pages
// populated here are the work's own, so where they are cheap this costs
// nothing more than the faults it spares; where one is dear, that one
// page is the cost.
func keepIfCheap(a advised, populate func(beg, size uintptr) int64, worth func(ns int64, size uintptr) bool) advised {
	size := a.size
	for i := uintptr(0); i < probeHugePages && a.beg+(i+1)*size <= a.end; i++ {
		p := a.beg + i*size
		if worth(populate(p, size), size) {
			continue
		}
		if rest := p + size; rest < a.end {
			_, _, _ = unix.Syscall(unix.SYS_MADVISE, rest, a.end-rest, unix.MADV_NOHUGEPAGE)
		}
		return advised{beg: a.beg, end: p + size, size: size}
	}
	return a
}

// populateNs backs the huge page of size at beg now (MADV_POPULATE_WRITE,
// Linux 5.14; it writes nothing the page holds) and returns what that
// took in nanoseconds; 0 when the kernel refused or the clock failed.
func populateNs(beg, size uintptr) int64 {
	var t0, t1 unix.Timespec
	if unix.ClockGettime(unix.CLOCK_MONOTONIC, &t0) != nil {
		return 0
	}
	_, _, e := unix.Syscall(unix.SYS_MADVISE, beg, size, unix.MADV_POPULATE_WRITE)
	if e != 0 || unix.ClockGettime(unix.CLOCK_MONOTONIC, &t1) != nil {
		return 0
	}
	return t1.Nano() - t0.Nano()
}

// probeSink makes reserve's probe escape to the heap; probeBytes is
// its size: a large object (past 32 KiB), which the runtime places in
// the lowest run of free pages that fits, not in a span of small objects.
var probeSink []byte

const probeBytes = 64 << 10

// chunkBytes is how the Go runtime maps its heap: in chunks of 4 MiB,
// aligned (its page allocator's chunks).
const chunkBytes = 4 << 20

// maxCollapse is the most collapse gives huge pages to: more would be
// memory the work may never touch.
const maxCollapse = 16 << 20

// collapse gives huge pages to the heap from beg, the chunk where its
// free pages started before the reservation, to end, where the reserved
// range's whole huge pages start: it marks that memory MADV_HUGEPAGE,
// so that a part not touched yet gets a huge page at its first touch,
// and collapses the parts in use into huge pages at once (MADV_COLLAPSE,
// Linux 6.1 and later, which copies the pages in use, so the memory
// stays as it was; it answers EINVAL when a part was never touched, and
// older kernels refuse it: either way what it could do is done). The
// runtime hands out the lowest free pages first, so the work fills the
// free pages there, and the part of the reservation before its first
// whole huge page, before it reaches the range, each 4 KiB page with a
// fault of its own. On the bench machine, at about 16 µs a fault, a
// no-op switch of 10,000 dotfiles took 1,015 faults instead of 1,371 and
// 88.7 ms instead of 98.2, and a cold evaluation of 1,000 modules 1,140
// instead of 1,462 and 87.1 ms instead of 95.5 (medians of 30 runs,
// interleaved).
//
// It collapses one huge page of size at a time: over a range whose first
// huge page was never touched, one call often collapsed nothing at all
// (Linux 6.18). It returns whether it asked the kernel (not for an empty
// range or one larger than maxCollapse).
func collapse(beg, end, size uintptr) bool {
	if end <= beg || end-beg > maxCollapse {
		return false
	}
	_ = hugestart.Collapse(beg, end, size)
	return true
}

// advise marks the whole huge pages of size inside b MADV_HUGEPAGE and
// returns where they are.
func advise(b []byte, size uintptr) (advised, error) {
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	a := advised{beg: (p + size - 1) &^ (size - 1), end: (p + uintptr(len(b))) &^ (size - 1), size: size}
	if a.beg >= a.end {
		return advised{}, unix.EINVAL
	}
	return a, unix.Madvise(b[a.beg-p:a.end-p], unix.MADV_HUGEPAGE)
}

// hugePageSize returns the size of a huge page when the settings in dir
// (thpDir) say the kernel gives them only to memory that asks
// ("[madvise]", hugestart.PageSize) and one is at most an eighth of n,
// else 0.
func hugePageSize(dir string, n int) uintptr {
	if size := hugestart.PageSize(dir); size <= uintptr(n)/8 {
		return size
	}
	return 0
}

// addressSpaceLimited reports whether the process's address space is
// limited: a reservation could then be the allocation that fails.
func addressSpaceLimited() bool {
	var r unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_AS, &r); err != nil {
		return true
	}
	return r.Cur != unix.RLIM_INFINITY
}

// strictOvercommit reports whether the kernel counts every writable
// mapping against a commit limit (vm.overcommit_memory = 2): there the
// reservation is charged in full, untouched or not, and could be what
// makes the process run out.
func strictOvercommit() bool {
	b, err := os.ReadFile("/proc/sys/vm/overcommit_memory")
	return err != nil || strings.TrimSpace(string(b)) == "2"
}

// memoryLimited reports whether the Go runtime has a memory limit
// (GOMEMLIMIT, debug.SetMemoryLimit): it counts the freed range as
// memory held until it is returned to the kernel, and near a limit it
// would collect and return memory instead of working.
func memoryLimited() bool {
	return debug.SetMemoryLimit(-1) != math.MaxInt64
}
