package treesnap

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
)

// A Snapshot maps machine paths ("/home/alice/.zshrc") to what is there.
type Snapshot map[string]string

// Take describes every path under root+dir, keyed by its path below root
// (with a leading slash); paths under skip (same form) are left out. A
// missing dir gives an empty snapshot.
func Take(t testing.TB, root, dir string, skip ...string) Snapshot {
	t.Helper()
	snap := Snapshot{}
	base := filepath.Join(root, dir)
	err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == base && errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		m := "/" + strings.TrimPrefix(strings.TrimPrefix(p, root), "/")
		for _, s := range skip {
			if m == s || strings.HasPrefix(m, s+"/") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		owner := ""
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			owner = fmt.Sprintf(" %d:%d", st.Uid, st.Gid)
		}
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			snap[m] = "link" + owner + " → " + target
		case fi.IsDir():
			snap[m] = fmt.Sprintf("dir %v%s", fi.Mode(), owner)
		default:
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			snap[m] = fmt.Sprintf("file %v%s %q", fi.Mode(), owner, b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// Diff lists the differences from want to got, one line each (+ only in
// got, - only in want, ~ different); "" when they are equal.
func Diff(want, got Snapshot) string {
	var keys []string
	for k := range want {
		keys = append(keys, k)
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		w, okw := want[k]
		g, okg := got[k]
		switch {
		case !okw:
			fmt.Fprintf(&b, "  + %s: %s\n", k, g)
		case !okg:
			fmt.Fprintf(&b, "  - %s: %s\n", k, w)
		case w != g:
			fmt.Fprintf(&b, "  ~ %s: %s → %s\n", k, w, g)
		}
	}
	return b.String()
}
