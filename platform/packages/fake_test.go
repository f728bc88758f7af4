package packages

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// fakeApt is a machine with apt: a temporary root holding
// /usr/bin/apt-get (for detection) and an in-memory package database
// that dpkg-query, apt-cache and apt-get read and change.
type fakeApt struct {
	system.System
	root      string // the machine's root folder on the host
	mu        sync.Mutex
	installed map[string]bool
	known     map[string]bool
	ran       []string
	// deps are each package's dependencies; auto marks the packages
	// installed as one (apt-mark showauto).
	deps map[string][]string
	auto map[string]bool
}

func newFakeApt(t *testing.T, installed, known []string) *fakeApt {
	t.Helper()
	root := t.TempDir()
	bin := filepath.Join(root, "usr/bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "apt-get"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	f := &fakeApt{System: system.NewRooted(root, system.NewReal()), root: root, installed: map[string]bool{}, known: map[string]bool{},
		deps: map[string][]string{}, auto: map[string]bool{}}
	for _, n := range installed {
		f.installed[n] = true
		f.known[n] = true
	}
	for _, n := range known {
		f.known[n] = true
	}
	return f
}

func (f *fakeApt) Run(_ context.Context, c system.Command) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ran = append(f.ran, c.Path+" "+strings.Join(c.Args, " "))
	if c.Path == "apt-get" && len(c.Args) > 2 && c.Args[0] == "-o" {
		c.Args = c.Args[2:] // a setting (aptLockWait)
	}
	names := func() []string {
		i := slices.Index(c.Args, "--")
		return c.Args[i+1:]
	}
	switch {
	case c.Path == "dpkg-query":
		var b strings.Builder
		var all []string
		for n := range f.known {
			all = append(all, n)
		}
		sort.Strings(all)
		for _, n := range all {
			if f.installed[n] {
				fmt.Fprintf(&b, "%s\tinstall ok installed\n", n)
			} else {
				fmt.Fprintf(&b, "%s\tdeinstall ok config-files\n", n)
			}
		}
		return []byte(b.String()), nil
	case c.Path == "apt-cache":
		var b strings.Builder
		for _, n := range names() {
			if f.known[n] {
				fmt.Fprintf(&b, "%s:\n  Installed: (none)\n  Candidate: 1.0-1\n  Version table:\n", n)
			}
		}
		return []byte(b.String()), nil
	case c.Path == "apt-get" && c.Args[0] == "install" && slices.Contains(c.Args, "--simulate"):
		return []byte("E: Unable to locate package x\n"), fmt.Errorf("exit status 100")
	case c.Path == "apt-get" && slices.Contains(c.Args, "--simulate"):
		var b strings.Builder
		for _, n := range f.removes(c.Args) {
			fmt.Fprintf(&b, "Remv %s [1.0-1]\n", n)
		}
		return []byte(b.String()), nil
	case c.Path == "apt-get" && c.Args[0] == "install":
		for _, n := range names() {
			if !f.known[n] {
				return []byte("E: Unable to locate package " + n), fmt.Errorf("exit status 100")
			}
		}
		for _, n := range names() {
			f.installed[n] = true
			delete(f.auto, n)
			for _, d := range f.deps[n] {
				if !f.installed[d] {
					f.installed[d], f.auto[d] = true, true
				}
			}
		}
		return nil, nil
	case c.Path == "apt-get" && c.Args[0] == "remove":
		for _, n := range f.removes(append([]string{"remove"}, c.Args[1:]...)) {
			delete(f.installed, n)
			delete(f.auto, n)
		}
		return nil, nil
	}
	return nil, fmt.Errorf("fakeApt: unexpected command %s %q", c.Path, c.Args)
}

// removes is what apt-get args (remove [--autoremove] NAMES, or
// autoremove) removes: NAMES and the installed packages that depend on
// them, and with --autoremove (or autoremove) the automatically
// installed packages that no package left needs. f.mu is held.
func (f *fakeApt) removes(args []string) []string {
	gone := map[string]bool{}
	if i := slices.Index(args, "--"); i >= 0 {
		for _, n := range args[i+1:] {
			gone[n] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for p := range f.installed {
			for _, d := range f.deps[p] {
				if gone[d] && !gone[p] {
					gone[p], changed = true, true
				}
			}
		}
	}
	if args[0] == "autoremove" || slices.Contains(args, "--autoremove") {
		needed := map[string]bool{}
		var need func(string)
		need = func(p string) {
			if needed[p] {
				return
			}
			needed[p] = true
			for _, d := range f.deps[p] {
				need(d)
			}
		}
		for p := range f.installed {
			if !gone[p] && !f.auto[p] {
				need(p)
			}
		}
		for p := range f.installed {
			if f.auto[p] && !needed[p] {
				gone[p] = true
			}
		}
	}
	var out []string
	for p := range gone {
		if f.installed[p] {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

func (f *fakeApt) has(n string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.installed[n]
}

// changes ran since the last call that change the machine.
func (f *fakeApt) changes() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, r := range f.ran {
		r := strings.Replace(r, "apt-get -o DPkg::Lock::Timeout=120 ", "apt-get ", 1)
		if strings.HasPrefix(r, "apt-get install -y") || strings.HasPrefix(r, "apt-get remove") && !strings.Contains(r, " --simulate") {
			out = append(out, r)
		}
	}
	f.ran = nil
	return out
}
