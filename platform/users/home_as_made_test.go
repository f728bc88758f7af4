package users

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// TestHomeAsMade (tester BI): a new home holding only the skeleton's
// copies, as useradd makes them (times kept), may go with the account's
// undo; anything else in it keeps it.
func TestHomeAsMade(t *testing.T) {
	old := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name  string
		edit  func(home string) error
		found bool
		what  string
	}{
		{name: "as useradd made it", found: true},
		{name: "no home", edit: os.RemoveAll, found: false},
		{name: "a new file", edit: func(h string) error { return os.WriteFile(h+"/notes.txt", []byte("mine"), 0o600) }, found: true, what: "/home/bi/notes.txt"},
		{name: "a new folder in a skeleton folder", edit: func(h string) error { return os.Mkdir(h+"/.config/app", 0o700) }, found: true, what: "/home/bi/.config/app"},
		{name: "a skeleton file edited", edit: func(h string) error { return os.WriteFile(h+"/.bashrc", []byte("# mine\n"), 0o644) }, found: true, what: "/home/bi/.bashrc"},
		{name: "another size, same time", edit: func(h string) error {
			if err := os.WriteFile(h+"/.bashrc", []byte("# skel, and mine\n"), 0o644); err != nil {
				return err
			}
			return os.Chtimes(h+"/.bashrc", old, old)
		}, found: true, what: "/home/bi/.bashrc"},
		{name: "same size, touched", edit: func(h string) error { return os.Chtimes(h+"/.bashrc", time.Now(), time.Now()) }, found: true, what: "/home/bi/.bashrc"},
		{name: "a skeleton link retargeted", edit: func(h string) error {
			if err := os.Remove(h + "/.link"); err != nil {
				return err
			}
			return os.Symlink("/etc/shadow", h+"/.link")
		}, found: true, what: "/home/bi/.link"},
		{name: "a file where the skeleton has a folder", edit: func(h string) error {
			if err := os.RemoveAll(h + "/.config"); err != nil {
				return err
			}
			return os.WriteFile(h+"/.config", nil, 0o600)
		}, found: true, what: "/home/bi/.config"},
		{name: "the home a link", edit: func(h string) error {
			if err := os.RemoveAll(h); err != nil {
				return err
			}
			return os.Symlink("/etc", h)
		}, found: true, what: "/home/bi (no longer a folder)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			for _, dir := range []string{"etc/skel", "home/bi"} {
				base := filepath.Join(root, dir)
				if err := os.MkdirAll(base+"/.config", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(base+"/.bashrc", []byte("# skel\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(".bashrc", base+"/.link"); err != nil {
					t.Fatal(err)
				}
				if err := os.Chtimes(base+"/.bashrc", old, old); err != nil {
					t.Fatal(err)
				}
			}
			home := filepath.Join(root, "home/bi")
			if tt.edit != nil {
				if err := tt.edit(home); err != nil {
					t.Fatal(err)
				}
			}
			sys := system.NewRooted(root, system.NewReal())
			found, what, err := homeAsMade(sys, "/home/bi", "/etc/skel")
			if err != nil || found != tt.found || what != tt.what {
				t.Errorf("homeAsMade = %v, %q, %v; want %v, %q", found, what, err, tt.found, tt.what)
			}
			if strings.Contains(what, root) {
				t.Errorf("%q names the tree's path", what)
			}
		})
	}
}

// TestUserAddRefusesAHomeMadeSince (tester BI): a home made between the
// plan (which found none) and useradd is not taken as the new one, which
// an undo would delete: the op refuses, changing nothing.
func TestUserAddRefusesAHomeMadeSince(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(root+"/etc", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(root+"/etc/passwd", []byte("root:x:0:0:root:/root:/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(root+"/etc/group", []byte("root:x:0:\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(root+"/home/bi", 0o700); err != nil {
		t.Fatal(err)
	}
	op := &UserAddOp{Root: root, Name: "bi", UID: 1500, Group: "bi", Home: "/home/bi", CreateHome: true}
	err := op.Apply(t.Context(), system.NewRooted(root, system.NewReal()))
	if !errors.Is(err, platform.ErrUnchanged) || !strings.Contains(err.Error(), "the home folder /home/bi of user bi exists") {
		t.Errorf("Apply = %v, want it refused as changed since the plan", err)
	}
	passwd, _ := os.ReadFile(root + "/etc/passwd")
	if strings.Contains(string(passwd), "bi:") {
		t.Errorf("bi was made:\n%s", passwd)
	}
}

// TestHomeGoesKeepsWhatItCannotLookThrough (reviewer R34): a home the
// undo cannot look through is kept, and said so, never removed.
func TestHomeGoesKeepsWhatItCannotLookThrough(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(root+"/home/bi", 0o700); err != nil {
		t.Fatal(err)
	}
	op := &UserAddOp{Name: "bi", UID: 1500, Home: "/home/bi", CreateHome: true}
	remove, kept := op.homeGoes(unreadableDirs{system.NewRooted(root, system.NewReal())})
	if remove || !errors.Is(kept, platform.ErrKept) || !strings.Contains(kept.Error(), "could not be looked through") {
		t.Errorf("homeGoes = %v, %v; want it kept, said so", remove, kept)
	}
}

// unreadableDirs is a System whose folders cannot be listed.
type unreadableDirs struct{ system.System }

func (unreadableDirs) ReadDir(name string) ([]fs.DirEntry, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
}
