package hugestart

import (
	"syscall"
	"unsafe"
)

// ThpDir is where Linux keeps the settings of transparent huge pages.
const ThpDir = "/sys/kernel/mm/transparent_hugepage/"

// chunkBytes is how much heap the Go runtime's page allocator maps and
// hands out at a time (its pallocChunkBytes), at an address that is a
// multiple of it.
const chunkBytes = 4 << 20

// The madvise advice this package gives (golang.org/x/sys/unix's
// values; package syscall has no MADV_COLLAPSE).
const (
	madvHugePage = 14
	madvCollapse = 25
)

func init() {
	godebug, _ := syscall.Getenv("GODEBUG")
	started = Start(ThpDir, godebug)
}

// started is where the chunk the init gave huge pages starts; 0 if none.
var started uintptr

// dear is whether Start found a huge page dearer than the small pages
// it stands for; smallNs is what Start measured a small page to cost.
var (
	dear    bool
	smallNs int64
)

// Worth reports whether a huge page of size that cost hugeNs to get was
// cheaper than the small pages it stands for, at the cost Start measured
// for those (true when either cost is unknown).
func Worth(hugeNs int64, size uintptr) bool { return worth(hugeNs, smallNs, size) }

// Dear reports whether the process's start found huge pages dearer
// than small ones here (see "When huge pages are dear" in the package
// documentation): internal/hugeheap then asks for none either.
func Dear() bool { return dear }

// Chunk returns the chunk of heap the process's start gave huge pages
// (see Start), from beg to end; 0, 0 when it gave none.
func Chunk() (beg, end uintptr) {
	if started == 0 {
		return 0, 0
	}
	return started, started + chunkBytes
}

// first is the object whose address tells Start the chunk the heap is
// filling.
var first *[64]byte

// Start gives the chunk of heap the process is filling huge pages, when
// the settings in dir and godebug allow it (see the package
// documentation), and returns where the chunk starts; 0 when it did
// nothing. It leaves the chunk in small pages (and returns 0) where
// they are cheap (startSmallDearNs), and where a huge page costs more
// than the small pages it stands for, which Dear then reports.
func Start(dir, godebug string) uintptr {
	return start(dir, godebug, smallPageNs, hugePageNs)
}

// startSmallDearNs is what a small page must cost for the chunk the
// process starts in to be worth a huge page, and the probe of one: the
// start touches a few hundred pages of it, so with small pages under 4
// µs they cost under 2 ms, less than the 4.4 to 7 ms of a huge page the
// host backs anew, which is what the probe costs where huge pages are
// dear (and a short command such as a cached evaluation pays it all).
// hugeheap's range, filled with tens of MB, probes its own pages.
const startSmallDearNs = 4_000

// start is Start with what it measures given: small returns what a
// fresh 4 KiB page costs, huge what a fresh huge page of size costs
// (both in nanoseconds, 0 when unknown).
func start(dir, godebug string, small func() int64, huge func(size uintptr) int64) uintptr {
	size := PageSize(dir)
	if size == 0 || size > chunkBytes || DisabledByGODEBUG(godebug) {
		return 0
	}
	first = new([64]byte)
	p := uintptr(unsafe.Pointer(first))
	beg := p &^ (chunkBytes - 1)
	smallNs = small()
	if smallNs > 0 && smallNs < startSmallDearNs {
		return 0 // small pages cheap: the start is not worth a probe
	}
	if !worth(huge(size), smallNs, size) {
		dear = true
		return 0
	}
	if _, _, e := syscall.Syscall(syscall.SYS_MADVISE, beg, chunkBytes, madvHugePage); e != 0 {
		return 0
	}
	collapseErr = Collapse(beg, (p+size)&^(size-1), size)
	return beg
}

// collapseErr is what the kernel answered Start's collapse, when it
// refused (0 when it did it): the kernel may refuse for the moment
// (EAGAIN, ENOMEM or EBUSY on a loaded machine), and Start goes on.
var collapseErr syscall.Errno

// Collapse marks the heap from beg to end (multiples of size, the huge
// page size) MADV_HUGEPAGE and asks the kernel to back it by huge pages
// now, one page at a time: one call over a range whose first huge page
// was never touched often collapsed nothing (Linux 6.18). What the
// range held is kept. It returns the kernel's first refusal (0 for
// none), which callers may ignore: a kernel without MADV_COLLAPSE
// (before 6.1), or one that refuses for the moment, still backs by huge
// pages what is touched after.
func Collapse(beg, end, size uintptr) syscall.Errno {
	var first syscall.Errno
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, beg, end-beg, madvHugePage)
	for p := beg; p < end; p += size {
		if _, _, e := syscall.Syscall(syscall.SYS_MADVISE, p, min(size, end-p), madvCollapse); e != 0 && first == 0 {
			first = e
		}
	}
	return first
}

// PageSize returns the size of a huge page when the settings in dir
// give huge pages on request (enabled says [madvise]); 0 otherwise, or
// when they cannot be read, or the size is not a power of two.
//
// The package reads and parses with syscall and a few loops of its
// own, not os, strings and strconv: with those imported, its init ran
// 86th of the process's 200 (at 11 ms, after most of the heap it is
// for was filled in small pages) instead of 16th (at 3.3 ms).
func PageSize(dir string) uintptr {
	if !contains(readSetting(dir+"enabled"), "[madvise]") {
		return 0
	}
	v, ok := parseUint(readSetting(dir + "hpage_pmd_size"))
	if !ok || v == 0 || v&(v-1) != 0 {
		return 0
	}
	return v
}

// DisabledByGODEBUG reports whether the GODEBUG value godebug sets
// disablethp=1 (the last setting of it wins, as the runtime reads it).
func DisabledByGODEBUG(godebug string) bool {
	off := false
	for len(godebug) > 0 {
		kv := godebug
		if i := index(godebug, ','); i >= 0 {
			kv, godebug = godebug[:i], godebug[i+1:]
		} else {
			godebug = ""
		}
		kv = trimSpace(kv)
		if i := index(kv, '='); i >= 0 && kv[:i] == "disablethp" {
			off = kv[i+1:] == "1"
		}
	}
	return off
}

// readSetting returns the start of the file at path (one line of the
// kernel's), "" when it cannot be read.
func readSetting(path string) string {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return ""
	}
	defer syscall.Close(fd)
	var buf [256]byte
	for {
		n, err := syscall.Read(fd, buf[:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil || n <= 0 {
			return ""
		}
		return string(buf[:n])
	}
}

// parseUint reads the decimal number s holds, white space around it.
func parseUint(s string) (uintptr, bool) {
	s = trimSpace(s)
	if s == "" || len(s) > 19 {
		return 0, false
	}
	var v uintptr
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		v = v*10 + uintptr(s[i]-'0')
	}
	return v, true
}

// contains reports whether sub is within s.
func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// index returns where c first is in s, -1 if nowhere.
func index(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// trimSpace drops the spaces, tabs and newlines around s.
func trimSpace(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t' || s[len(s)-1] == '\n') {
		s = s[:len(s)-1]
	}
	return s
}
