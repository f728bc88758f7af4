package accounts

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

func TestRead(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	passwd := "# comment\nroot:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice,,,:/home/alice:/bin/zsh\nbroken:x:abc:1:::\n"
	group := "root:x:0:\nwheel:x:10:alice\n"
	for name, text := range map[string]string{"passwd": passwd, "group": group} {
		if err := os.WriteFile(filepath.Join(root, "etc", name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db, err := Read(system.NewRooted(root, system.NewReal()))
	if err != nil {
		t.Fatal(err)
	}
	a, ok := db.User("alice")
	if !ok || a.UID != 1000 || a.GID != 1000 || a.Home != "/home/alice" || a.Shell != "/bin/zsh" {
		t.Errorf("alice = %+v, %v", a, ok)
	}
	if _, ok := db.User("broken"); ok {
		t.Error("a line with a non-numeric uid was read")
	}
	if g, ok := db.Group("wheel"); !ok || g != 10 {
		t.Errorf("wheel = %d, %v", g, ok)
	}

	empty, err := Read(system.NewRooted(t.TempDir(), system.NewReal()))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := empty.User("root"); ok {
		t.Error("an empty root has no users")
	}
}
