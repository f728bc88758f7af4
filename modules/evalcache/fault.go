package evalcache

import "github.com/gocfg/gocfg/internal/mapfault"

// readMapped runs f, which reads the mapped entry b, and reports whether
// it finished: a fault reading b (the file was truncated under the
// mapping, which gocfg never does: it replaces entries by renaming)
// makes it return false instead of crashing the process. A fault
// anywhere else is not b's and panics as usual.
func readMapped(b []byte, f func()) bool { return mapfault.Run(b, f) }
