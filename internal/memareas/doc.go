// Package memareas reads the process's memory areas from Linux's
// /proc/self/smaps: where each lies, how it is marked (VmFlags) and how
// much of it is in transparent huge pages. The tests of
// internal/hugeheap and internal/hugestart check with it what the
// kernel made of their advice.
package memareas
