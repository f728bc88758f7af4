package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gocfg/gocfg/generations"
)

// TestReserveWorth: a cold evaluation reserves huge pages unless its
// configuration is known to be small.
func TestReserveWorth(t *testing.T) {
	for _, tt := range []struct {
		recorded int
		want     bool
	}{
		{-1, true}, // not seen before, or --no-cache
		{0, false},
		{1, false},
		{reserveMinFiles - 1, false},
		{reserveMinFiles, true},
		{1000, true},
	} {
		if got := reserveWorth(tt.recorded); got != tt.want {
			t.Errorf("reserveWorth(%d) = %v, want %v", tt.recorded, got, tt.want)
		}
	}
}

// TestRecordsWorth: a plan, a status or a rollback reserves huge pages
// unless the current generation's records are known to be small.
func TestRecordsWorth(t *testing.T) {
	for _, tt := range []struct {
		size int64
		want bool
	}{
		{-1, true}, // no current generation, or its records unreadable
		{0, false},
		{12 << 10, false},
		{reserveMinRecords - 1, false},
		{reserveMinRecords, true},
		{4 << 20, true},
	} {
		if got := recordsWorth(tt.size); got != tt.want {
			t.Errorf("recordsWorth(%d) = %v, want %v", tt.size, got, tt.want)
		}
	}
}

// TestCurrentRecordsSize: the size the reservation goes by is the
// current generation's resources.json, read through the command's own
// (read-only) System; not known without a current generation or when
// the file is gone.
func TestCurrentRecordsSize(t *testing.T) {
	root := t.TempDir()
	env := testEnv(t)
	if got := openFor(t, env, root, "status").currentRecordsSize(); got != -1 {
		t.Errorf("no generation: %d, want -1", got)
	}
	w := openFor(t, env, root, "switch")
	records := []byte(`{"files":[]}`)
	g := generations.NewGeneration{Meta: generations.Meta{Number: 1, Time: time.Now()}, Config: []byte("{}"), Resources: records}
	if err := w.store.Write(g); err != nil {
		t.Fatal(err)
	}
	if err := w.store.Flip(1); err != nil {
		t.Fatal(err)
	}
	m := openFor(t, env, root, "status")
	if got := m.currentRecordsSize(); got != int64(len(records)) {
		t.Errorf("generation 1: %d, want %d", got, len(records))
	}
	if err := os.Remove(filepath.Join(root, m.store.Path(1), "resources.json")); err != nil {
		t.Fatal(err)
	}
	if got := m.currentRecordsSize(); got != -1 {
		t.Errorf("resources.json removed: %d, want -1", got)
	}
}
