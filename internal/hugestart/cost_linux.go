package hugestart

import (
	"syscall"
	"unsafe"
)

// What a huge page costs against the small pages it stands for decides
// whether a process uses huge pages at all (see the package
// documentation, "When huge pages are dear").

// smallProbePages is how many fresh 4 KiB pages smallPageNs touches.
const smallProbePages = 8

// smallPageBytes is the size of a base page on the systems this package
// acts on (Linux on amd64 and arm64 with 4 KiB pages; with larger base
// pages the comparison only errs towards huge pages, as before).
const smallPageBytes = 4096

// worth reports whether a huge page that cost hugeNs to get is cheaper
// than the pages of smallNs each it stands for (size / 4 KiB of them).
// An unknown cost (0: the clock or the probe failed) counts as worth
// it: the process then uses huge pages, as it did before it measured.
func worth(hugeNs, smallNs int64, size uintptr) bool {
	if hugeNs <= 0 || smallNs <= 0 {
		return true
	}
	return hugeNs < smallNs*int64(size/smallPageBytes)
}

// smallPageNs returns what a first touch of a fresh 4 KiB page costs
// here, in nanoseconds: the mean over smallProbePages pages of a
// mapping of its own (not marked for huge pages, so small ones under
// the "madvise" setting Start acts on). 0 when it could not tell.
func smallPageNs() int64 {
	b, err := syscall.Mmap(-1, 0, smallProbePages*smallPageBytes, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return 0
	}
	defer syscall.Munmap(b)
	t0 := monoNs()
	for off := 0; off < len(b); off += smallPageBytes {
		b[off] = 1
	}
	t1 := monoNs()
	if t0 == 0 || t1 <= t0 {
		return 0
	}
	return (t1 - t0) / smallProbePages
}

// hugePageNs returns what a first touch of a fresh huge page of size
// costs here, in nanoseconds: one byte written in a mapping of its own
// marked MADV_HUGEPAGE, then unmapped (the page goes back to the kernel's
// free lists, where the heap's next huge page is likely to be taken
// from). 0 when it could not tell.
func hugePageNs(size uintptr) int64 {
	b, err := syscall.Mmap(-1, 0, int(2*size), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return 0
	}
	defer syscall.Munmap(b)
	// The whole huge page inside the mapping.
	off := int(-uintptr(unsafe.Pointer(unsafe.SliceData(b))) & (size - 1))
	page := b[off : off+int(size)]
	if syscall.Madvise(page, madvHugePage) != nil {
		return 0
	}
	t0 := monoNs()
	page[0] = 1
	t1 := monoNs()
	if t0 == 0 || t1 <= t0 {
		return 0
	}
	return t1 - t0
}

// monoNs reads the monotonic clock, in nanoseconds; 0 if it cannot.
// (Package time would bring strings and more into this package's init:
// see PageSize.)
func monoNs() int64 {
	var ts syscall.Timespec
	if _, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, 1 /* CLOCK_MONOTONIC */, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		return 0
	}
	return ts.Nano()
}
