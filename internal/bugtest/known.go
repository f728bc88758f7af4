package bugtest

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
)

// Known runs body, which asserts the right behaviour, against a recorder.
// If body fails (an Error, a Fatal), t is skipped with "BUG: " + bug and
// what body reported; if body passes, t fails: the bug is fixed and the
// call to Known should go.
func Known(t testing.TB, bug string, body func(t testing.TB)) {
	t.Helper()
	r := &recorder{TB: t}
	var wg sync.WaitGroup
	wg.Go(func() {
		defer func() {
			if p := recover(); p != nil {
				r.fail(fmt.Sprint("panic: ", p))
			}
		}()
		body(r)
	})
	wg.Wait()
	if !r.failed {
		t.Fatalf("bug fixed: remove the skip (%s)", bug)
		return
	}
	t.Skipf("BUG: %s\n(the test still finds: %s)", bug, r.first)
}

// A recorder is the testing.TB a known bug's body reports to.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	failed bool
	first  string
}

func (r *recorder) fail(msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.failed {
		r.failed, r.first = true, msg
	}
}

func (r *recorder) Helper()                         {}
func (r *recorder) Fail()                           { r.fail("failed") }
func (r *recorder) Failed() bool                    { r.mu.Lock(); defer r.mu.Unlock(); return r.failed }
func (r *recorder) Error(args ...any)               { r.fail(fmt.Sprint(args...)) }
func (r *recorder) Errorf(format string, a ...any)  { r.fail(fmt.Sprintf(format, a...)) }
func (r *recorder) Log(args ...any)                 {}
func (r *recorder) Logf(format string, args ...any) {}
func (r *recorder) FailNow()                        { r.fail("failed"); runtime.Goexit() }
func (r *recorder) Fatal(args ...any)               { r.fail(fmt.Sprint(args...)); runtime.Goexit() }
func (r *recorder) Fatalf(format string, a ...any) {
	r.fail(fmt.Sprintf(format, a...))
	runtime.Goexit()
}
func (r *recorder) Skip(args ...any) { r.fail("skipped: " + fmt.Sprint(args...)); runtime.Goexit() }
func (r *recorder) Skipf(format string, a ...any) {
	r.fail("skipped: " + fmt.Sprintf(format, a...))
	runtime.Goexit()
}
func (r *recorder) SkipNow() { r.fail("skipped"); runtime.Goexit() }
