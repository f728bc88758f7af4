//go:build unix

package modules_test

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gocfg/gocfg/modules"
	"github.com/hashicorp/hcl/v2"
)

// makeFIFO makes a FIFO (named pipe) at path.
func makeFIFO(path string) error { return syscall.Mkfifo(path, 0o644) }

// loadWithin loads and evaluates the module entry, failing the test if
// that blocks for a minute: the deadline only turns a hang into a
// failure, a refusal takes milliseconds.
func loadWithin(t *testing.T, entry string) hcl.Diagnostics {
	t.Helper()
	done := make(chan hcl.Diagnostics, 1)
	go func() {
		ev, diags := modules.Load(modules.Options{Entry: entry, Host: testHost})
		if !diags.HasErrors() {
			_, d := ev.All()
			diags = append(diags, d...)
		}
		done <- diags
	}()
	select {
	case diags := <-done:
		return diags
	case <-time.After(time.Minute):
		t.Fatalf("%s: still blocked after a minute", entry)
		return nil
	}
}

// TestHostileFIFO: file() or an import of a FIFO blocked forever in
// open(2), waiting for a writer that never comes. Now it is refused
// without blocking.
func TestHostileFIFO(t *testing.T) {
	dir := unreadableFixtures(t, "fifo", "fifo.hcl", "Cannot import")
	for _, name := range []string{"fifo", "fifo.hcl", "mods/b.hcl", "entry.hcl"} {
		if err := makeFIFO(filepath.Join(dir, name)); err != nil {
			t.Skipf("no FIFOs here: %v", err)
		}
	}
	for _, entry := range []string{"file.hcl", "import.hcl", "folder.hcl"} {
		t.Run(entry, func(t *testing.T) {
			abs := filepath.Join(dir, entry)
			diags := loadWithin(t, abs)
			if !strings.Contains(diags.Error(), "a FIFO (named pipe)") {
				t.Errorf("the error does not say what the file is: %s", diags.Error())
			}
			checkInvalidFixture(t, abs)
		})
	}
	// The entry module itself: there is no source to point at.
	diags := loadWithin(t, filepath.Join(dir, "entry.hcl"))
	if len(diags) != 1 || diags[0].Summary != "Cannot read module" || !strings.Contains(diags[0].Detail, "entry.hcl: not a regular file: it is a FIFO") {
		t.Errorf("entry FIFO: %v", diags)
	}
}
