// Package hugestart gives the chunk of heap a gocfg process starts in
// transparent huge pages, from the first moments of the process.
//
// Why: on the virtual machine gocfg was first measured on, each first
// touch of a 4 KiB page cost 15 to 20 µs (bench/README.md, "What a page
// costs here"; on the machines of December 2026 it costs 2 µs, and
// Start then leaves the chunk alone: "When huge pages are dear" below),
// and a gocfg process touches about 250 pages of heap
// before it does anything of its own: the runtime's start and the
// initialisation of some 200 packages. `gocfg version` took 21.2 ms
// and a cached evaluation 25.7 ms; with this chunk in huge pages, 19.2
// and 23.3 ms, with 120 faults fewer (medians of 41 runs in turn).
// internal/hugeheap does the same for the large range a long command
// is about to fill, later on; this is the part every command fills.
//
// How: the package's init (it imports only syscall and unsafe, so it
// runs among the first initialisations, before the packages that fill
// most of that heap) allocates one small object, takes the 4 MiB chunk
// the Go runtime is filling (its page allocator maps and hands out the
// heap in such chunks), marks it MADV_HUGEPAGE and collapses its part
// already in use (MADV_COLLAPSE, Linux 6.1; on an older kernel only the
// pages touched later are huge). [Start] is that step, for the tests.
//
// When it does nothing: where the kernel gives huge pages only on
// request (/sys/kernel/mm/transparent_hugepage/enabled says madvise)
// it acts; with "always" they are given anyway, with "never" not at
// all; nor when GODEBUG has disablethp=1 (the Go runtime's switch for
// not using huge pages, which internal/hugeheap heeds too), nor on
// systems other than Linux. It costs a process at most one huge page
// more of resident memory than it would have used, until it exits.
//
// # When huge pages are dear
//
// A huge page is not always the cheaper way. On the 2-vCPU Firecracker
// machines of December 2026 (bench/README.md, "Results (2026-12-04,
// 21:30)"), a first touch of a 4 KiB page costs 1.5 to 2 µs, so the 512
// small pages a huge page stands for cost about 0.9 ms; a huge page
// costs 0.2 ms when it comes from memory a process freed a moment
// before, but 4.4 to 7 ms when the host must back it anew: the guest
// hands memory that stays free for a couple of seconds back to the host
// (virtio-balloon free page reporting, in 2 MiB blocks), and a huge
// page is such a block. That is how a user runs gocfg, once, after a
// pause: a cold evaluation of 1,000 modules took 122 to 146 ms in huge
// pages and 86 to 93 ms in small ones (medians of 6 to 8 runs, each
// after 3 s of quiet). On the machine this package was first
// measured on, a 4 KiB page cost 15 to 20 µs, and a huge page the host
// backs anew (4 to 6 ms) was still the cheaper.
//
// So Start measures before it asks for anything. First the first touch
// of 8 fresh small pages, in a mapping of its own: where one costs less
// than 4 µs, the few hundred pages the start touches cost less than 2
// ms, under what a huge page the host backs anew costs, and Start leaves
// the chunk in small pages without trying a huge page (a cached
// evaluation, 5 to 11 ms, would pay the whole of that). Where small
// pages are dearer, it times the first touch of one fresh huge page, in
// a mapping of its own too (then unmapped, back to the free lists, where
// the heap's next one is likely to come from): when that costs as much
// as the small pages it stands for or more, the process uses none:
// Start leaves the chunk alone, and [Dear] tells internal/hugeheap not
// to reserve. A measure that fails (no clock, a mapping refused) counts
// as cheap, which is what the process did before it measured. The
// memory freed by the process before is what makes huge pages cheap,
// and there may be only a few such pages: internal/hugeheap, whose range
// a long command fills with tens of MB, times the first huge pages of
// its range itself and stops at the first dear one.
//
// It reads the kernel's settings and changes only the process's own
// memory, as the Go runtime does at start, so it does not go through
// the System seam: it is no side effect on the machine.
package hugestart
