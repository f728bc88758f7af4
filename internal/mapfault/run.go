package mapfault

import (
	"runtime/debug"
	"unsafe"
)

// Run runs f, which reads or writes the mapped bytes b, and reports
// whether it finished: false when a fault on b stopped it.
func Run(b []byte, f func()) (finished bool) {
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
