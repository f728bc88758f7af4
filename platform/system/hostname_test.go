package system

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestRootedHostname(t *testing.T) {
	root := t.TempDir()
	sys := NewRooted(root, NewReal())
	ctx := context.Background()
	if name, err := sys.Hostname(ctx); err != nil || name != "" {
		t.Errorf("Hostname without /etc/hostname = %q, %v; want \"\"", name, err)
	}
	if err := os.Mkdir(filepath.Join(root, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := sys.SetHostname(ctx, "box"); err != nil {
		t.Fatal(err)
	}
	assertFile(t, filepath.Join(root, "etc/hostname"), "box\n", 0o644)
	if name, err := sys.Hostname(ctx); err != nil || name != "box" {
		t.Errorf("Hostname = %q, %v; want box", name, err)
	}
}

func TestReadHostname(t *testing.T) {
	for content, want := range map[string]string{
		"":                            "",
		"\n\n":                        "",
		"box\n":                       "box",
		"  box  \n":                   "box",
		"# written by hand\n\nbox\n":  "box",
		"# only a comment\n":          "",
		"box\nsomething else later\n": "box",
	} {
		root := offlineTree(t, map[string]string{"/etc/hostname": content})
		got, err := readHostname(NewRooted(root, NewReal()))
		if err != nil || got != want {
			t.Errorf("readHostname(%q) = %q, %v; want %q", content, got, err, want)
		}
	}
}

func TestRealHostnameReads(t *testing.T) {
	// Only reads this machine's /etc/hostname.
	want, err := readHostname(NewReal())
	if err != nil {
		t.Fatal(err)
	}
	if got, err := NewReal().Hostname(context.Background()); err != nil || got != want {
		t.Errorf("Hostname = %q, %v; want %q", got, err, want)
	}
}
