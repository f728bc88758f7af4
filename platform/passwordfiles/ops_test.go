package passwordfiles

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// TestSetOp runs the op with the real chpasswd on a tree (--root): it
// sets the file's hash, its undo puts back the earlier one (or locks an
// account that had none), and leaves a hash changed since (passwd).
func TestSetOp(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("chpasswd --root needs root")
	}
	if _, err := exec.LookPath("chpasswd"); err != nil {
		t.Skip("chpasswd is not installed")
	}
	ctx := context.Background()
	const prev, hash = `$6$old$AAAA`, `$6$new$BBBB`
	setup := func(t *testing.T, field string) (string, system.System, *SetOp) {
		root := t.TempDir()
		write := func(rel, data string, mode os.FileMode) {
			p := filepath.Join(root, rel)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(data), mode); err != nil {
				t.Fatal(err)
			}
		}
		write("etc/passwd", "root:x:0:0:root:/root:/bin/sh\ncarol:x:1001:1001::/home/carol:/bin/sh\n", 0o644)
		write("etc/group", "root:x:0:\ncarol:x:1001:\n", 0o644)
		write("etc/shadow", "root:*:19000:0:99999:7:::\ncarol:"+field+":19000:0:99999:7:::\n", 0o640)
		write("etc/gshadow", "root:*::\ncarol:!::\n", 0o640)
		write("etc/pw/carol", hash+"\n", 0o400)
		return root, system.NewRooted(root, system.NewReal()), &SetOp{Root: root, Name: "carol", Path: "/etc/pw/carol", Prev: field}
	}
	field := func(t *testing.T, root string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(root, "etc/shadow"))
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.SplitSeq(string(b), "\n") {
			if f := strings.SplitN(line, ":", 3); len(f) == 3 && f[0] == "carol" {
				return f[1]
			}
		}
		t.Fatalf("no carol in /etc/shadow:\n%s", b)
		return ""
	}
	for _, tc := range []struct {
		name, before string
		byHand       string // set between Apply and Undo ("" none)
		afterUndo    string
	}{
		{"set, then undone", prev, "", prev},
		{"no earlier hash: locked by the undo", "", "", "!"},
		{"changed by passwd since: left", prev, `$6$hand$CCCC`, `$6$hand$CCCC`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, sys, op := setup(t, tc.before)
			if err := op.Apply(ctx, sys); err != nil {
				t.Fatal(err)
			}
			if got := field(t, root); got != hash {
				t.Fatalf("after Apply: %q, want %q", got, hash)
			}
			if tc.byHand != "" {
				if err := exec.Command("usermod", "--root", root, "-p", tc.byHand, "carol").Run(); err != nil {
					t.Fatal(err)
				}
			}
			if err := op.Undo(ctx, sys); err != nil {
				t.Fatal(err)
			}
			if got := field(t, root); got != tc.afterUndo {
				t.Errorf("after Undo: %q, want %q", got, tc.afterUndo)
			}
		})
	}
}
