package memareas

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// An Area is one memory area of the process.
type Area struct {
	Start, End uintptr
	// Flags are the area's VmFlags ("hg": marked MADV_HUGEPAGE).
	Flags map[string]bool
	// AnonHugeKB is how much of it is in anonymous huge pages, in KiB.
	AnonHugeKB int
}

// Read returns the process's memory areas, in address order.
func Read() ([]Area, error) {
	data, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return nil, err
	}
	var areas []Area
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 0:
		case strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":"):
			var a Area
			if _, err := fmt.Sscanf(f[0], "%x-%x", &a.Start, &a.End); err != nil {
				return nil, fmt.Errorf("/proc/self/smaps: %q: %w", sc.Text(), err)
			}
			areas = append(areas, a)
		case f[0] == "VmFlags:" && len(areas) > 0:
			areas[len(areas)-1].Flags = map[string]bool{}
			for _, fl := range f[1:] {
				areas[len(areas)-1].Flags[fl] = true
			}
		case f[0] == "AnonHugePages:" && len(areas) > 0 && len(f) > 1:
			areas[len(areas)-1].AnonHugeKB, _ = strconv.Atoi(f[1])
		}
	}
	if len(areas) == 0 {
		return nil, fmt.Errorf("/proc/self/smaps: no memory areas read")
	}
	return areas, sc.Err()
}

// Within sums what areas say of the range from beg to end: how many of
// its bytes are mapped, how many of those are marked MADV_HUGEPAGE
// ("hg"), and the KiB in huge pages of the areas that overlap it.
func Within(areas []Area, beg, end uintptr) (mapped, marked, hugeKB int) {
	for _, a := range areas {
		if a.End <= beg || a.Start >= end {
			continue
		}
		n := int(min(a.End, end) - max(a.Start, beg))
		mapped += n
		if a.Flags["hg"] {
			marked += n
		}
		hugeKB += a.AnonHugeKB
	}
	return mapped, marked, hugeKB
}
