package evalcache

import (
	"runtime/debug"
	"unsafe"
)

// readMapped runs f, which reads the mapped entry b, and reports whether
// it finished: a fault reading b (the file was truncated under the
// mapping, which gocfg never does: it replaces entries by renaming)
// makes it return false instead of crashing the process. A fault
// anywhere else is not b's and panics as usual.
func readMapped(b []byte, f func()) (finished bool) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if finished {
			return
		}
		v := recover()
		if v == nil {
			return // runtime.Goexit
		}
		if fault, ok := v.(interface{ Addr() uintptr }); ok && len(b) > 0 {
			start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
			if a := fault.Addr(); a >= start && a-start < uintptr(len(b)) {
				return
			}
		}
		panic(v)
	}()
	f()
	return true
}
