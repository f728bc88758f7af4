package hugestart

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"

	"github.com/gocfg/gocfg/internal/memareas"
	"golang.org/x/sys/unix"
)

func TestPageSize(t *testing.T) {
	tests := []struct {
		name, enabled, size string
		want                uintptr
	}{
		{"madvise", "always [madvise] never\n", "2097152\n", 2 << 20},
		{"white space around the size", "always [madvise] never\n", " 2097152 \n", 2 << 20},
		{"512 MiB pages", "always [madvise] never\n", "536870912\n", 512 << 20},
		{"always: given without asking", "[always] madvise never\n", "2097152\n", 0},
		{"never", "always madvise [never]\n", "2097152\n", 0},
		{"not a power of two", "always [madvise] never\n", "3000000\n", 0},
		{"not a number", "always [madvise] never\n", "two megabytes\n", 0},
		{"negative", "always [madvise] never\n", "-2097152\n", 0},
		{"no size file", "always [madvise] never\n", "", 0},
		{"no settings", "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir() + "/"
			for name, content := range map[string]string{"enabled": tt.enabled, "hpage_pmd_size": tt.size} {
				if content == "" {
					continue
				}
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if got := PageSize(dir); got != tt.want {
				t.Errorf("PageSize = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestDisabledByGODEBUG(t *testing.T) {
	tests := []struct {
		godebug string
		want    bool
	}{
		{"", false},
		{"disablethp=1", true},
		{"madvdontneed=1,disablethp=1", true},
		{"disablethp=0", false},
		{"disablethp=1,disablethp=0", false},
		{"xdisablethp=1", false},
		{" disablethp=1 ", true},
		{"disablethp", false},
	}
	for _, tt := range tests {
		if got := DisabledByGODEBUG(tt.godebug); got != tt.want {
			t.Errorf("DisabledByGODEBUG(%q) = %v, want %v", tt.godebug, got, tt.want)
		}
	}
}

// TestStartDoesNothingWhenNotAsked checks the settings under which
// Start leaves the heap alone.
func TestStartDoesNothingWhenNotAsked(t *testing.T) {
	for _, c := range []struct{ enabled, godebug string }{
		{"[always] madvise never\n", ""},
		{"always madvise [never]\n", ""},
		{"always [madvise] never\n", "disablethp=1"},
	} {
		dir := t.TempDir() + "/"
		if err := os.WriteFile(dir+"enabled", []byte(c.enabled), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dir+"hpage_pmd_size", []byte("2097152\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if beg := Start(dir, c.godebug); beg != 0 {
			t.Errorf("enabled %q, GODEBUG %q: Start marked the chunk at %x", c.enabled, c.godebug, beg)
		}
	}
}

// TestStartGaveTheFirstChunkHugePages checks, in this test process (whose
// init ran Start as gocfg's does), that the chunk of heap it started in
// is marked MADV_HUGEPAGE ("hg" in /proc/self/smaps) and, from Linux 6.1
// (MADV_COLLAPSE), holds a huge page.
func TestStartGaveTheFirstChunkHugePages(t *testing.T) {
	size := PageSize(ThpDir)
	if size == 0 || DisabledByGODEBUG(os.Getenv("GODEBUG")) {
		t.Skip("this kernel gives no huge pages on request here (or GODEBUG has disablethp=1): TestStartDoesNothingWhenNotAsked covers that")
	}
	if first == nil {
		t.Fatal("the package's init did not run Start")
	}
	t.Logf("a small page %d ns; huge pages dear here: %v", smallNs, Dear())
	beg := uintptr(unsafe.Pointer(first)) &^ (chunkBytes - 1)
	if smallNs > 0 && smallNs < startSmallDearNs || Dear() {
		// The chunk stays in small pages, as
		// TestStartLeavesSmallPagesWhereHugeAreDear checks.
		if b, e := Chunk(); b != 0 || e != 0 {
			t.Errorf("huge pages dear, yet Chunk() = %x-%x", b, e)
		}
		return
	}
	if b, e := Chunk(); b != beg || e != beg+chunkBytes {
		t.Errorf("Chunk() = %x-%x, want %x-%x", b, e, beg, beg+chunkBytes)
	}
	areas, err := memareas.Read()
	if err != nil {
		t.Fatal(err)
	}
	mapped, marked, hugeKB := memareas.Within(areas, beg, beg+chunkBytes)
	if mapped != chunkBytes || marked != chunkBytes {
		t.Errorf("chunk %x: %d bytes mapped and %d marked hg, want all %d", beg, mapped, marked, chunkBytes)
	}
	if kernelCollapses(beg) && hugeKB < int(size>>10) {
		// A refusal of the moment (CI, with test binaries running
		// side by side, once had one) is the kernel's: Start goes on
		// without it. Having asked without a refusal, the chunk must
		// hold a huge page.
		if collapseErr == 0 {
			t.Errorf("the chunk %x has %d KiB in huge pages after a collapse the kernel did not refuse, want at least one page of %d KiB", beg, hugeKB, size>>10)
		} else {
			t.Logf("the kernel refused the start's collapse (%v): the chunk %x has %d KiB in huge pages", collapseErr, beg, hugeKB)
		}
	}
}

// TestStartHeedsGODEBUGAtStart runs the test binary again with
// GODEBUG=disablethp=1: its init must leave the heap alone.
func TestStartHeedsGODEBUGAtStart(t *testing.T) {
	if os.Getenv("HUGESTART_TEST_CHILD") != "" {
		if b, e := Chunk(); first != nil || b != 0 || e != 0 {
			t.Fatalf("init ran Start under GODEBUG=disablethp=1: Chunk() = %x-%x", b, e)
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestStartHeedsGODEBUGAtStart$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), "HUGESTART_TEST_CHILD=1", "GODEBUG=disablethp=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestStartHeedsGODEBUGAtStart") {
		t.Fatalf("child: %v\n%s", err, out)
	}
}

// kernelCollapses reports whether the kernel knows MADV_COLLAPSE
// (Linux 6.1): asked again over the first huge page of the chunk, an
// older kernel answers EINVAL.
func kernelCollapses(chunk uintptr) bool {
	_, _, e := unix.Syscall(unix.SYS_MADVISE, chunk, 2<<20, unix.MADV_COLLAPSE)
	return e != unix.EINVAL
}

func TestWorth(t *testing.T) {
	const size = 2 << 20 // 512 small pages
	tests := []struct {
		name            string
		hugeNs, smallNs int64
		want            bool
	}{
		{"this VM, a huge page the host still backs", 200_000, 1_600, true},
		{"this VM, a huge page the host backs anew", 4_400_000, 1_600, false},
		{"a VM whose small pages are dear too", 5_000_000, 17_000, true},
		{"the cost of the pages it stands for", 512 * 1_600, 1_600, false},
		{"just under it", 512*1_600 - 1, 1_600, true},
		{"the huge page not measured", 0, 1_600, true},
		{"the small page not measured", 4_400_000, 0, true},
	}
	for _, tt := range tests {
		if got := worth(tt.hugeNs, tt.smallNs, size); got != tt.want {
			t.Errorf("%s: worth(%d, %d) = %v, want %v", tt.name, tt.hugeNs, tt.smallNs, got, tt.want)
		}
	}
}

func TestSmallPageNs(t *testing.T) {
	ns := smallPageNs()
	if ns <= 0 || ns > 100_000_000 {
		t.Fatalf("smallPageNs() = %d ns, want a first touch's cost (more than 0, less than 100 ms)", ns)
	}
	t.Logf("a fresh 4 KiB page: %d ns", ns)
}

// TestStartLeavesSmallPagesWhereHugeAreDear runs start, in a fresh
// process, with what it measures given: cheap small pages leave the
// chunk unmarked without a probe of a huge page; dear small pages and a
// huge page dearer than those it stands for leave it unmarked and Dear
// true; dear small pages and a cheap huge page mark the whole chunk.
func TestStartLeavesSmallPagesWhereHugeAreDear(t *testing.T) {
	size := PageSize(ThpDir)
	if size == 0 {
		t.Skip("this kernel gives no huge pages on request here: TestStartDoesNothingWhenNotAsked covers that")
	}
	if os.Getenv("HUGESTART_TEST_DEAR") == "" {
		// In a process whose init left the heap alone (disablethp), so
		// that nothing but start marks the chunk.
		cmd := exec.Command(os.Args[0], "-test.run=^TestStartLeavesSmallPagesWhereHugeAreDear$", "-test.v", "-test.count=1")
		cmd.Env = append(os.Environ(), "HUGESTART_TEST_DEAR=1", "GODEBUG=disablethp=1")
		out, err := cmd.CombinedOutput()
		t.Logf("child:\n%s", out)
		if err != nil || !strings.Contains(string(out), "--- PASS: TestStartLeavesSmallPagesWhereHugeAreDear") {
			t.Fatalf("child: %v", err)
		}
		return
	}
	defer func(old bool, oldNs int64) { dear, smallNs = old, oldNs }(dear, smallNs)
	for _, c := range []struct {
		smallNs, hugeNs int64
		probed, dear    bool
		marked          int
	}{
		{1_600, 200_000, false, false, 0},
		{17_000, 10_000_000, true, true, 0},
		{17_000, 4_400_000, true, false, chunkBytes},
	} {
		dear = false
		probed := false
		got := start(ThpDir, "", func() int64 { return c.smallNs }, func(uintptr) int64 { probed = true; return c.hugeNs })
		beg := uintptr(unsafe.Pointer(first)) &^ (chunkBytes - 1)
		if want := map[bool]uintptr{true: beg, false: 0}[c.marked > 0]; got != want {
			t.Errorf("small %d ns, huge %d ns: start returned %x, want %x", c.smallNs, c.hugeNs, got, want)
		}
		if probed != c.probed || Dear() != c.dear {
			t.Errorf("small %d ns, huge %d ns: probed a huge page %v, Dear() %v; want %v, %v", c.smallNs, c.hugeNs, probed, Dear(), c.probed, c.dear)
		}
		areas, err := memareas.Read()
		if err != nil {
			t.Fatal(err)
		}
		if _, marked, _ := memareas.Within(areas, beg, beg+chunkBytes); marked != c.marked {
			t.Errorf("small %d ns, huge %d ns: %d bytes of the chunk %x marked hg, want %d", c.smallNs, c.hugeNs, marked, beg, c.marked)
		}
	}
}

func TestHugePageNs(t *testing.T) {
	size := PageSize(ThpDir)
	if size == 0 {
		t.Skip("this kernel gives no huge pages on request here")
	}
	ns := hugePageNs(size)
	if ns <= 0 || ns > 1_000_000_000 {
		t.Fatalf("hugePageNs(%d) = %d ns, want a first touch's cost (more than 0, less than 1 s)", size, ns)
	}
	t.Logf("a fresh huge page: %d ns (small pages: %d ns each)", ns, smallPageNs())
}
