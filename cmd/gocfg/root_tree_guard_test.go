package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/platform/system"
)

// TestRootTreeExposure: a --root tree that another user could swap under
// root's switch is warned about, naming the folder and why (second
// reviewer, stop 59); a tree on a way only root can change is not.
func TestRootTreeExposure(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give folders to another uid")
	}
	base := t.TempDir() // root's, 0700
	mk := func(rel string, mode os.FileMode, uid int) string {
		return testfs.Folder(t, filepath.Join(base, rel), uid, uid, mode)
	}
	mk("safe", 0o755, 0)
	mk("hers", 0o755, 4321)
	mk("open", 0o777, 0)
	mk("sticky", os.ModeSticky|0o777, 0)
	mk("sticky/roots", 0o755, 0)
	mk("sticky/herown", 0o755, 4321)
	if err := os.Symlink(filepath.Join(base, "hers"), filepath.Join(base, "safe", "link")); err != nil {
		t.Fatal(err)
	}
	sys := system.NewReal()
	for _, c := range []struct {
		root, path, why string
	}{
		{"safe/tree", "", ""},
		{"safe/new/tree", "", ""},
		{"hers/tree", "hers", "is owned by uid 4321"},
		{"hers", "hers", "is owned by uid 4321"},
		{"open/tree", "open", "may be written by others (mode 0777, no sticky bit)"},
		{"sticky/roots/tree", "", ""},
		{"sticky/herown/tree", "sticky/herown", "is owned by uid 4321"},
		{"safe/link/tree", "hers", "is owned by uid 4321"},
	} {
		p, why := rootTreeExposure(sys, filepath.Join(base, c.root), 0)
		want := ""
		if c.path != "" {
			want = filepath.Join(base, c.path)
		}
		if p != want || why != c.why {
			t.Errorf("%s: %q %q, want %q %q", c.root, p, why, want, c.why)
		}
	}
	var out bytes.Buffer
	warnRootTree(&Env{Stderr: &out, EUID: 0}, sys, filepath.Join(base, "hers", "tree"))
	if got := out.String(); !strings.Contains(got, "gocfg: warning: --root "+filepath.Join(base, "hers", "tree")+": "+filepath.Join(base, "hers")+" is owned by uid 4321") || !strings.Contains(got, "gocfg: hint: build the tree in a folder that only root can change") {
		t.Errorf("warning:\n%s", got)
	}
	// An ordinary user's tree under a folder of another user's is
	// warned about too (reviewer R8); under her own, it is not.
	out.Reset()
	warnRootTree(&Env{Stderr: &out, EUID: 1000}, sys, filepath.Join(base, "hers", "tree"))
	if got := out.String(); !strings.Contains(got, "is owned by uid 4321") || !strings.Contains(got, "only you or root can change") {
		t.Errorf("an ordinary user's warning:\n%s", got)
	}
	out.Reset()
	warnRootTree(&Env{Stderr: &out, EUID: 4321}, sys, filepath.Join(base, "hers", "tree"))
	if got := out.String(); got != "" {
		t.Errorf("her own tree: %s", got)
	}
}
