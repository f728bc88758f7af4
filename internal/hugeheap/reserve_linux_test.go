package hugeheap

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"unsafe"

	"github.com/gocfg/gocfg/internal/hugestart"
	"github.com/gocfg/gocfg/internal/memareas"
	"golang.org/x/sys/unix"
)

func TestHugePageSize(t *testing.T) {
	const n = 64 << 20
	tests := []struct {
		name, enabled, size string
		want                uintptr
	}{
		// What the settings say is hugestart.PageSize's (tested there);
		// hugePageSize adds the limit of an eighth of n.
		{"madvise", "always [madvise] never\n", "2097152\n", 2 << 20},
		{"never", "always madvise [never]\n", "2097152\n", 0},
		{"512 MiB pages: more than an eighth", "always [madvise] never\n", "536870912\n", 0},
		{"8 MiB: an eighth", "always [madvise] never\n", "8388608\n", 8 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir() + "/"
			if tt.enabled != "" {
				write(t, filepath.Join(dir, "enabled"), tt.enabled)
			}
			if tt.size != "" {
				write(t, filepath.Join(dir, "hpage_pmd_size"), tt.size)
			}
			if got := hugePageSize(dir, n); got != tt.want {
				t.Errorf("hugePageSize = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestAdviseMarksHugePages checks on this machine's kernel, in a fresh
// process, that advise marks the huge pages inside an allocation
// MADV_HUGEPAGE ("hg" in the VmFlags of /proc/self/smaps) and leaves the
// memory around them as it was. Where the kernel does not give huge pages on request, Reserve
// must do nothing, which is checked instead.
func TestAdviseMarksHugePages(t *testing.T) {
	const n = 64 << 20
	size := hugePageSize(thpDir, n)
	if size == 0 {
		if a := reserve(n); a != (advised{}) {
			t.Fatalf("reserve marked %x-%x where the kernel does not give huge pages on request", a.beg, a.end)
		}
		enabled, _ := os.ReadFile(thpDir + "enabled")
		t.Skipf("this kernel's transparent huge pages are %q, not madvise: nothing to ask for", strings.TrimSpace(string(enabled)))
	}
	if !inChild(t, "TestAdviseMarksHugePages") {
		return // in a fresh process: no area marked by an earlier test (or run) beside this one's
	}
	b := make([]byte, n)
	a, err := advise(b, size)
	if err != nil {
		t.Fatalf("advise: %v", err)
	}
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	beg, end := a.beg, a.end
	if beg < p || end > p+n || end-beg < n-size || beg%size != 0 || end%size != 0 {
		t.Fatalf("advised %x-%x: not the whole huge pages of %x-%x", beg, end, p, p+n)
	}
	for j := beg - p; j < end-p; j += 4096 {
		b[j] = 1 // touch, so the kernel shows what it gave
	}
	// The chunk the process started in is marked too (internal/hugestart):
	// an area may reach into it, which merges with the range beside it.
	cbeg, cend := hugestart.Chunk()
	inStartChunk := func(lo, hi uintptr) bool { return cbeg <= lo && hi <= cend }
	areas := smaps(t)
	marked, huge := 0, 0
	for _, a := range areas {
		if a.End <= beg || a.Start >= end {
			continue
		}
		if a.Start < beg && !inStartChunk(a.Start, beg) || a.End > end && !inStartChunk(end, a.End) {
			t.Errorf("area %x-%x reaches outside the advised %x-%x (and the start's chunk %x-%x)", a.Start, a.End, beg, end, cbeg, cend)
		}
		if !a.Flags["hg"] {
			t.Errorf("area %x-%x in the advised range is not marked hg: %v", a.Start, a.End, a.Flags)
		}
		marked += int(min(a.End, end) - max(a.Start, beg))
		huge += a.AnonHugeKB << 10
	}
	if marked != int(end-beg) {
		t.Errorf("%d bytes marked, want the %d of the advised range", marked, end-beg)
	}
	// The kernel may have no free huge page to give (fragmented memory):
	// what it gave is a figure, not a requirement.
	t.Logf("advised %d MiB; the kernel gave %d MiB of it in huge pages", (end-beg)>>20, huge>>20)
}

// TestReserveIsReused checks, in a fresh process as gocfg's, that what
// a process allocates after Reserve lands in the advised range: the
// range is free when Reserve returns, and the heap grows into it, not
// past it.
func TestReserveIsReused(t *testing.T) {
	if !inChild(t, "TestReserveIsReused") {
		return
	}
	a := reserve(reserveTestBytes)
	if a == (advised{}) {
		t.Fatal("reserve marked nothing")
	}
	// 64 MiB in 16 KiB pieces, a cold evaluation's worth; kept live.
	const piece, pieces = 16 << 10, 4096
	kept := make([][]byte, pieces)
	in := 0
	for i := range kept {
		kept[i] = make([]byte, piece)
		p := uintptr(unsafe.Pointer(unsafe.SliceData(kept[i])))
		if p >= a.beg && p+piece <= a.end {
			in++
		}
	}
	t.Logf("%d of %d pieces in the advised %d MiB", in, pieces, (a.end-a.beg)>>20)
	if in < pieces*9/10 {
		t.Errorf("%d of %d allocations after Reserve are in the advised range %x-%x, want nine in ten", in, pieces, a.beg, a.end)
	}
	runtime.KeepAlive(kept)
}

// inChild runs the test named test again in a fresh process, as gocfg's
// (one whose heap and memory areas no other test has touched, nor marks
// for huge pages for the tests after it), and reports whether this is
// that process; in the test's own process it checks that the child
// passed. Where the kernel does not give huge pages on request, it skips
// the test: TestAdviseMarksHugePages checks that reserve does nothing.
func inChild(t *testing.T, test string) bool {
	t.Helper()
	if os.Getenv("HUGEHEAP_TEST_CHILD") != "" {
		return true
	}
	if hugePageSize(thpDir, reserveTestBytes) == 0 {
		t.Skip("this kernel does not give huge pages on request: TestAdviseMarksHugePages checks that reserve does nothing")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), "HUGEHEAP_TEST_CHILD=1", "GODEBUG=")
	out, err := cmd.CombinedOutput()
	t.Logf("child:\n%s", out)
	if err != nil {
		t.Fatalf("child: %v", err)
	}
	if bytes.Contains(out, []byte("--- SKIP: "+test)) {
		t.Skip("the child skipped the check (above)")
	}
	if !bytes.Contains(out, []byte("--- PASS: "+test)) {
		t.Fatal("the child did not run the check")
	}
	return false
}

// TestCollapseMakesTheChunkHuge checks on this machine's kernel, in a
// fresh process, that collapse marks the heap it is given (here the
// chunk holding an object) MADV_HUGEPAGE and, from Linux 6.1
// (MADV_COLLAPSE), backs its part in use by huge pages at once, with what
// it held kept as it was.
func TestCollapseMakesTheChunkHuge(t *testing.T) {
	if !inChild(t, "TestCollapseMakesTheChunkHuge") {
		return
	}
	size := hugePageSize(thpDir, reserveTestBytes)
	kept := make([][]byte, 64) // small objects, in the chunk the heap fills now
	for i := range kept {
		kept[i] = bytes.Repeat([]byte{byte(i)}, 1000)
	}
	beg := uintptr(unsafe.Pointer(unsafe.SliceData(kept[0]))) &^ (chunkBytes - 1)
	if !collapse(beg, beg+chunkBytes, size) {
		t.Fatal("collapse of one chunk did not ask the kernel")
	}
	mapped, marked, hugeKB := memareas.Within(smaps(t), beg, beg+chunkBytes)
	if mapped != chunkBytes || marked != chunkBytes {
		t.Errorf("chunk %x: %d bytes mapped and %d marked hg, want all %d", beg, mapped, marked, chunkBytes)
	}
	if collapses(t) && hugeKB < int(size>>10) {
		// The kernel may have had no free huge page at that moment
		// (EAGAIN, ENOMEM: memory fragmented by a CI run's builds and
		// containers, where this failed once); asked again, it says so.
		// Any other answer, or none, is a failure.
		switch e := hugestart.Collapse(beg, beg+chunkBytes, size); e {
		case unix.EAGAIN, unix.ENOMEM:
			t.Skipf("the chunk %x has %d KiB in huge pages after MADV_COLLAPSE: the kernel has no free huge page now (%v)", beg, hugeKB, e)
		default:
			t.Errorf("the chunk %x has %d KiB in huge pages after MADV_COLLAPSE (asked again: %v), want at least a page of %d KiB", beg, hugeKB, e, size>>10)
		}
	}
	for i, b := range kept {
		if !bytes.Equal(b, bytes.Repeat([]byte{byte(i)}, 1000)) {
			t.Fatalf("object %d changed by the collapse", i)
		}
	}
	t.Logf("chunk %x: %d KiB in huge pages", beg, hugeKB)
	// More than maxCollapse, or nothing: collapse leaves it alone.
	for _, r := range [][2]uintptr{{beg, beg + maxCollapse + chunkBytes}, {beg + chunkBytes, beg}, {beg, beg}} {
		if collapse(r[0], r[1], size) {
			t.Errorf("collapse(%x, %x) asked the kernel, want it left alone", r[0], r[1])
		}
	}
}

// collapses reports whether the kernel has MADV_COLLAPSE (Linux 6.1).
func collapses(t *testing.T) bool {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		t.Fatal(err)
	}
	var major, minor int
	if _, err := fmt.Sscanf(unix.ByteSliceToString(u.Release[:]), "%d.%d", &major, &minor); err != nil {
		t.Fatalf("kernel release %q: %v", u.Release[:], err)
	}
	return major > 6 || major == 6 && minor >= 1
}

// reserveTestBytes is what gocfg reserves (cmd/gocfg reserveBytes).
const reserveTestBytes = 256 << 20

// TestReserveUnderMemoryLimit checks that a process with a memory limit
// (GOMEMLIMIT) reserves nothing.
func TestReserveUnderMemoryLimit(t *testing.T) {
	if hugePageSize(thpDir, reserveTestBytes) == 0 {
		t.Skip("this kernel does not give huge pages on request: reserve does nothing anyway")
	}
	old := debug.SetMemoryLimit(1 << 30)
	defer debug.SetMemoryLimit(old)
	if a := reserve(reserveTestBytes); a != (advised{}) {
		t.Errorf("reserve marked %x-%x under a memory limit", a.beg, a.end)
	}
}

func TestReserveOnce(t *testing.T) {
	Reserve(1 << 20) // an eighth is 128 KiB, less than any huge page: nothing to do
	if Reserve(64 << 20) {
		t.Error("a second Reserve did its work")
	}
}

// smaps reads the process's memory areas.
func smaps(t *testing.T) []memareas.Area {
	t.Helper()
	areas, err := memareas.Read()
	if err != nil {
		t.Fatal(err)
	}
	return areas
}

func write(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestReserveNothingWhereHugePagesAreDear checks, in a fresh process,
// that where the process's start found huge pages dearer than small
// ones (hugestart.Dear) Reserve's work marks nothing and leaves the heap
// where it was, and that otherwise it reserves.
func TestReserveNothingWhereHugePagesAreDear(t *testing.T) {
	if !inChild(t, "TestReserveNothingWhereHugePagesAreDear") {
		return
	}
	defer func(old func() bool) { dear = old }(dear)
	dear = func() bool { return true }
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	if reserved(reserveTestBytes) {
		t.Fatal("reserved where huge pages are dear")
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if grown := after.HeapSys - before.HeapSys; grown >= reserveTestBytes/2 {
		t.Errorf("the heap grew by %d MiB where nothing was to be reserved", grown>>20)
	}
	dear = func() bool { return false }
	if !reserved(reserveTestBytes) {
		t.Error("reserved nothing where huge pages are worth it")
	}
}

// TestKeepIfCheap gives keepIfCheap a mapping of its own and what the
// pages cost: where all the pages it tries are cheap the range stays
// whole; at the first dear one it stops, and the rest of the range is
// marked MADV_NOHUGEPAGE ("nh" in /proc/self/smaps).
func TestKeepIfCheap(t *testing.T) {
	const size = 2 << 20
	b, beg := hugeAligned(t, 10, size)
	whole := advised{beg: beg, end: beg + 8*size, size: size}
	for _, c := range []struct {
		name   string
		dearAt int // the first dear page, -1 for none
		end    uintptr
	}{
		{"all cheap", -1, whole.end},
		{"the second page dear", 1, whole.beg + 2*size},
		{"the first page dear", 0, whole.beg + size},
		{"a dear page past those it tries", probeHugePages, whole.end},
	} {
		var tried []uintptr
		populate := func(beg, n uintptr) int64 {
			if n != size {
				t.Errorf("%s: populate of %d bytes, want one huge page", c.name, n)
			}
			tried = append(tried, beg)
			if len(tried)-1 == c.dearAt {
				return 5_000_000
			}
			return 200_000
		}
		worth := func(ns int64, _ uintptr) bool { return ns < 1_000_000 }
		got := keepIfCheap(whole, populate, worth)
		if got.beg != whole.beg || got.end != c.end {
			t.Errorf("%s: kept %x-%x, want %x-%x", c.name, got.beg, got.end, whole.beg, c.end)
		}
		want := probeHugePages
		if c.dearAt >= 0 {
			want = min(probeHugePages, c.dearAt+1)
		}
		if len(tried) != want {
			t.Errorf("%s: tried %d pages, want %d", c.name, len(tried), want)
		}
		unmarked := 0
		for _, a := range smaps(t) {
			if a.End <= got.end || a.Start >= whole.end {
				continue
			}
			if a.Flags["nh"] {
				unmarked += int(min(a.End, whole.end) - max(a.Start, got.end))
			}
		}
		if want := int(whole.end - got.end); unmarked != want {
			t.Errorf("%s: %d bytes after the kept range marked nh, want %d", c.name, unmarked, want)
		}
		// Back to no advice, for the next case.
		if err := unix.Madvise(b, unix.MADV_HUGEPAGE); err != nil {
			t.Fatal(err)
		}
	}
}

func TestPopulateNs(t *testing.T) {
	const size = 2 << 20
	b, beg := hugeAligned(t, 1, size)
	ns := populateNs(beg, size)
	if !collapses(t) { // MADV_POPULATE_WRITE is Linux 5.14: a kernel without MADV_COLLAPSE (6.1) may lack it
		t.Logf("populateNs = %d ns on this older kernel", ns)
		return
	}
	if ns <= 0 || ns > 1_000_000_000 {
		t.Fatalf("populateNs = %d ns, want what backing 2 MiB took (more than 0, less than 1 s)", ns)
	}
	if b[beg-uintptr(unsafe.Pointer(unsafe.SliceData(b)))] != 0 {
		t.Error("populating wrote into the page")
	}
	t.Logf("populating a huge page: %d ns", ns)
}

// hugeAligned maps n huge pages of size and one more, unmapped when the
// test ends, and returns the mapping and where its first whole huge page
// starts.
func hugeAligned(t *testing.T, n int, size uintptr) ([]byte, uintptr) {
	t.Helper()
	b, err := unix.Mmap(-1, 0, (n+1)*int(size), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = unix.Munmap(b) })
	return b, (uintptr(unsafe.Pointer(unsafe.SliceData(b))) + size - 1) &^ (size - 1)
}
