// Package hugestart gives the chunk of heap a gocfg process starts in
// transparent huge pages, from the first moments of the process.
//
// Why: on the virtual machines gocfg is measured on, each first touch
// of a 4 KiB page costs 15 to 20 µs (bench/README.md, "What a page
// costs here"), and a gocfg process touches about 250 pages of heap
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
// It reads the kernel's settings and changes only the process's own
// memory, as the Go runtime does at start, so it does not go through
// the System seam: it is no side effect on the machine.
package hugestart
