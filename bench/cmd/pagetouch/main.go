//go:build linux

// Command pagetouch measures what fresh anonymous memory costs this
// machine: it maps -mb MiB, aligned to 2 MiB, marks it MADV_HUGEPAGE with
// -huge (else MADV_NOHUGEPAGE), writes one byte a 4 KiB page and prints
// the microseconds that took. bench/README.md, "Results (2026-12-05,
// 03:40)", runs it back to back, after a pause and after a Nix
// evaluation to show when a huge page is cheap and when the host must
// back it anew (virtio-balloon free page reporting). Linux only.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

const hugePage = 2 << 20

func main() {
	mb := flag.Int("mb", 48, "how many MiB to touch")
	huge := flag.Bool("huge", false, "ask for transparent huge pages (MADV_HUGEPAGE)")
	flag.Parse()
	size := *mb << 20
	t0 := time.Now()
	b, err := unix.Mmap(-1, 0, size+hugePage, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pagetouch:", err)
		os.Exit(1)
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	off := int((hugePage - start%hugePage) % hugePage)
	b = b[off : off+size]
	advice := unix.MADV_NOHUGEPAGE
	if *huge {
		advice = unix.MADV_HUGEPAGE
	}
	if err := unix.Madvise(b, advice); err != nil {
		fmt.Fprintln(os.Stderr, "pagetouch: madvise:", err)
		os.Exit(1)
	}
	for i := 0; i < size; i += 4096 {
		b[i] = 1
	}
	fmt.Println(time.Since(t0).Microseconds())
}
