package system

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// mappedFrom returns the file that b's first byte is mapped from in
// this process ("" for none, or for no byte).
func mappedFrom(t *testing.T, b []byte) string {
	t.Helper()
	if len(b) == 0 {
		return ""
	}
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	data, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		var lo, hi uintptr
		f := strings.Fields(sc.Text())
		if _, err := fmt.Sscanf(f[0], "%x-%x", &lo, &hi); err == nil && lo <= p && p < hi {
			if len(f) >= 6 {
				return f[5]
			}
			return ""
		}
	}
	return ""
}

// TestMapFile: MapFile answers what ReadFile answers (the content, or an
// error of the same cause) on a Real with a confined home, a Rooted over
// it and a ReadOnly over that; a file outside the home comes back mapped
// from the file itself (a mapping of it in /proc/self/maps), one inside
// it read.
func TestMapFile(t *testing.T) {
	rig := newConfinedRig(t)
	outside := filepath.Join(rig.outside, "resources.json")
	big := bytes.Repeat([]byte(`{"path":"/home/a/.zshrc"},`), 20_000) // 540 KB
	inside := filepath.Join(rig.home, "notes")
	empty := filepath.Join(rig.outside, "empty")
	for p, b := range map[string][]byte{outside: big, inside: []byte("mine\n"), empty: nil} {
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	fifo := filepath.Join(rig.outside, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Remove(fifo); _ = os.Remove(outside); _ = os.Remove(empty) })
	paths := []string{outside, inside, empty, fifo, rig.outside, filepath.Join(rig.outside, "missing"), "/proc/self/status"}
	root := filepath.Dir(rig.home)
	machine := func(p string) string {
		if rel, err := filepath.Rel(root, p); err == nil && !strings.HasPrefix(rel, "..") {
			return "/" + rel
		}
		return p
	}
	rooted := NewRooted(root, rig.sys)
	for label, s := range map[string]struct {
		sys  System
		path func(string) string
	}{
		"Real":             {rig.sys, func(p string) string { return p }},
		"Rooted":           {rooted, machine},
		"ReadOnly(Rooted)": {NewReadOnly(rooted), machine},
	} {
		for _, p := range paths {
			if p == "/proc/self/status" && label != "Real" {
				continue
			}
			name := s.path(p)
			got, err := MapFile(s.sys, name)
			want, werr := s.sys.ReadFile(name)
			switch {
			case (err == nil) != (werr == nil) || err != nil && !errors.Is(err, errors.Unwrap(werr)):
				t.Errorf("%s: MapFile(%s) err = %v, ReadFile's %v", label, name, err, werr)
			case err == nil && p != "/proc/self/status" && !bytes.Equal(got, want):
				t.Errorf("%s: MapFile(%s) = %d bytes, ReadFile's %d", label, name, len(got), len(want))
			case err == nil && p == "/proc/self/status" && !bytes.HasPrefix(got, []byte("Name:")):
				t.Errorf("%s: MapFile(%s) = %.40q, want the file read (size 0 in its stat)", label, name, got)
			}
			if mapped := mappedFrom(t, got); (p == outside) != (mapped == p) {
				t.Errorf("%s: MapFile(%s) is mapped from %q", label, name, mapped)
			}
		}
	}
	if _, err := MapFile(rig.sys, fifo); !errors.Is(err, ErrNotRegular) {
		t.Errorf("MapFile of a FIFO: %v, want ErrNotRegular", err)
	}
}
