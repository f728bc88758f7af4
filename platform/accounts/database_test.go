package accounts

import (
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

func TestRead(t *testing.T) {
	db := readRoot(t, Read, map[string]string{
		"etc/passwd": "# comment\nroot:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice,,,:/home/alice:/bin/zsh\nbroken:x:abc:1:::\n",
		"etc/group":  "root:x:0:\nwheel:x:10:alice\n",
	})
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
