package files

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// TestRemoveOpStaleAside: an aside an earlier failed switch left at the
// name this removal uses goes when it holds gocfg's own managed content
// or link (the store keeps it); anything else there stops the removal
// and nothing is lost.
func TestRemoveOpStaleAside(t *testing.T) {
	const managed = "b 0\n"
	for _, tc := range []struct {
		name     string
		link     bool   // the managed file is a link to "target"
		leftover string // what the aside path holds ("" for a link to target)
		wantErr  bool
	}{
		{name: "gocfg's copy left behind", leftover: managed},
		{name: "gocfg's link left behind", link: true},
		{name: "other content", leftover: "mallory's\n", wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "b.conf")
			op := &RemoveOp{Path: p, Aside: AsidePath(p, 8)}
			if tc.link {
				op.Target = "target"
				for _, l := range []string{p, op.Aside} {
					if err := os.Symlink("target", l); err != nil {
						t.Fatal(err)
					}
				}
			} else {
				op.Hash = hashBytes([]byte(managed))
				if err := os.WriteFile(p, []byte(managed), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(op.Aside, []byte(tc.leftover), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			err := op.Apply(context.Background(), system.NewReal())
			if tc.wantErr {
				if !errors.Is(err, platform.ErrUnchanged) {
					t.Fatalf("Apply: %v, want a refusal (ErrUnchanged)", err)
				}
				for f, want := range map[string]string{p: managed, op.Aside: tc.leftover} {
					if got, err := os.ReadFile(f); err != nil || string(got) != want {
						t.Errorf("%s: %q, %v; want %q kept", f, got, err, want)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			for _, f := range []string{p, op.Aside} {
				if _, err := os.Lstat(f); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("%s: %v, want it gone", f, err)
				}
			}
		})
	}
}
