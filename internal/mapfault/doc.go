// Package mapfault runs code that reads or writes a memory mapping of a
// file so that a fault on the mapping is an answer, not a crash.
//
// A mapping of a file faults (SIGBUS) when the file is truncated under
// it, or when the storage behind it fails. Go's runtime crashes the
// process on such a fault unless the goroutine asked for a panic instead
// (debug.SetPanicOnFault); Run asks for it, recovers the panic when its
// address is in the mapping, and says the code did not finish. A fault
// anywhere else, and any other panic, is not the mapping's and goes on.
//
// Users: modules/evalcache (reading a cache entry another process may
// replace) and platform/system's MapLog (a switch's journal log).
package mapfault
