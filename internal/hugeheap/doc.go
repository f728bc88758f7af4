// Package hugeheap lets the part of the Go heap a large piece of work is
// about to fill be backed by transparent huge pages.
//
// Why: a gocfg process is short and fills its heap once. Linux backs
// that memory a 4 KiB page at a time, with a page fault each. On some
// virtual machines a fault is dear: on the Firecracker machine this was
// measured on, 14 µs for a fresh page, so a no-op switch of 10,000
// dotfiles spent a third of its time (8,400 faults) and a cold
// evaluation of 1,000 modules half of its time taking memory from the
// kernel. A 2 MiB huge page takes one fault for 512 small ones: touching
// 64 MiB took 230 ms in small pages there, and 4 ms in huge ones (up to
// 150 ms the first time the host backs them).
//
// Linux gives huge pages to anonymous memory always, never, or only
// where the program asks with madvise(MADV_HUGEPAGE)
// (/sys/kernel/mm/transparent_hugepage/enabled); many distributions and
// virtual machine kernels ship "madvise", and the Go runtime does not
// ask (since Go 1.21.1: for long-running servers it caused stalls and
// memory growth, golang.org/issue/61718). [Reserve] asks for
// it: it grows the heap by n bytes in one mapping (one allocation,
// with collections held off while it is made, then dropped and freed
// by a collection; a fresh mapping is not written, so this touches no
// page of it), and marks the whole huge pages of that range
// MADV_HUGEPAGE. The allocations that follow reuse the range, and each
// first touch of a 2 MiB piece of it is one fault. (Without holding
// collections off, one to three evaluations in six gained nothing: the
// allocation had started a collection, which kept it, and the work
// allocated past it.) It then gives huge pages to the heap below the
// range too, from the chunk where its free pages start, collapsing the
// part in use (MADV_COLLAPSE): the work fills those free pages first.
//
// What it costs and when it is not done: the reservation costs 2 to 6
// ms there (the runtime's bookkeeping for the range, and the
// collection), so only work that will allocate tens of MB calls Reserve
// (a cold evaluation; a plan, a status, a rollback, which read and
// check every managed path), never a cached evaluation or a short
// command. It does nothing where huge pages are off ("never"), already
// given without asking ("always"), larger than an eighth of n (arm64
// with 64 KiB pages has 512 MiB ones), where the address space is
// limited (RLIMIT_AS) or the kernel charges every writable mapping
// (vm.overcommit_memory = 2), when the Go runtime has a memory limit
// (GOMEMLIMIT: it would count the freed range as held), when GODEBUG
// has disablethp=1 (the Go runtime's own switch for not using huge
// pages for the heap, which users who want none set), where the
// process's start found a huge page dearer than the small pages it
// stands for (internal/hugestart's Dear: a machine whose host backs
// free memory anew), and on systems other than Linux. A process reserves once; later calls do nothing.
// The memory a process uses (its resident size) grows by at most the
// part of a huge page it does not fill, and only until it exits. Where
// memory is short and fragmented, a kernel whose defrag setting is
// "madvise" or "always" may compact memory to find a huge page, which
// can stall the fault that asked (the issue above); such a machine
// sets GODEBUG=disablethp=1 for gocfg.
//
// It reads the kernel's settings from /sys and /proc/sys and changes only
// the process's own memory, as the Go runtime does at start (it reads
// hpage_pmd_size), so it does not go through the System seam: it is no
// side effect on the machine.
package hugeheap
