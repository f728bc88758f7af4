package main

import "github.com/gocfg/gocfg/internal/hugeheap"

// When a command asks for huge pages for its heap (internal/hugeheap):
// only before work that fills tens of MB, which is known from what the
// last run recorded. The reservation costs a few milliseconds (a
// collection and the runtime's bookkeeping for the range), which a small
// piece of work does not win back in page faults. Where the size cannot
// be told, a command reserves as for a large piece of work: going
// without costs a large one more than reserving costs a small one.

// reserveWorth reports whether a cold evaluation of a configuration
// whose last evaluation read recorded files (-1: not known: a
// configuration not seen before, or --no-cache) reserves huge pages for
// its heap: not below reserveMinFiles.
func reserveWorth(recorded int) bool {
	return recorded < 0 || recorded >= reserveMinFiles
}

// reserveMinFiles is the smallest configuration, in files its last
// evaluation read, whose cold evaluation reserves huge pages. Measured
// with bench/abcold.sh back to back, a build that reserves against one
// that does not (medians, 60 to 150 runs a side): 1 module 13.6 against
// 11.5 ms, 30 modules 13.1 against 12.0, 100 modules 14.7 against 15.0,
// 200 modules 23.6 against 25.4, 1,000 modules 62.2 against 69.1 (and
// 56.2 against 60.2 after a Nix run, in a slow hour of the host).
const reserveMinFiles = 64

// reserveBytes is how much of the heap a cold evaluation, a plan (of a
// switch, a deployed bundle, gocfg plan), a status or a rollback asks
// to have in huge pages (internal/hugeheap): more than an
// evaluation of 3,000 modules fills (160 MB). What is not filled is
// address space, not memory; reserving 1 GiB instead cost a small
// evaluation about 10 ms of the runtime's bookkeeping, 256 MiB nothing
// measurable.
const reserveBytes = 256 << 20

// reserveForCurrent reserves huge pages before a plan (of a switch, a
// deployed bundle, gocfg plan), a status or a rollback reads the current
// generation's records and checks every path they manage, unless those
// records are known to be small (recordsWorth). With no current
// generation (a first switch) the size of what the plan makes is not
// known. A rollback goes by the current generation alone: its target is
// read after it, and is usually alike in size.
func (m *machine) reserveForCurrent() {
	if recordsWorth(m.currentRecordsSize()) {
		hugeheap.Reserve(reserveBytes)
	}
}

// currentRecordsSize is the size in bytes of the current generation's
// resources.json; -1 when there is no current generation or the file
// cannot be stat'ed (the work that reads it reports why).
func (m *machine) currentRecordsSize() int64 {
	cur, err := m.store.Current()
	if err != nil || cur == 0 {
		return -1
	}
	n, err := m.store.FileSize(cur, "resources.json")
	if err != nil {
		return -1
	}
	return n
}

// recordsWorth reports whether work on a generation whose resources.json
// is size bytes (-1: not known, or unreadable, which the work itself then
// reports) reserves huge pages: not below reserveMinRecords.
func recordsWorth(size int64) bool {
	return size < 0 || size >= reserveMinRecords
}

// reserveMinRecords is the smallest resources.json, in bytes, whose
// plan reserves huge pages. A managed dotfile takes about 400 bytes
// there. Measured with bench/abcold.sh NOOP=N (no-op switches of
// bench/cmd/gendotfiles' tree on tmpfs, back to back), a build that
// always reserves against one that never does, 30 runs a side, medians:
// 30 files (12 KB of records) 9.4 against 5.6 ms and 25 against 15 MB
// resident, 300 files 10.3 against 7.7, 1,000 files (0.4 MB) 15.3
// against 12.8, 2,000 files 21.3 against 20.5, 3,000 files (1.2 MB)
// 23.6 against 25.2, 10,000 files (4.1 MB) 51.9 against 61.7.
const reserveMinRecords = 1 << 20
