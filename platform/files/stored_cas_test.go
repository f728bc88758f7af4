package files

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
)

// TestAsidePathIsTheFilesOne: other providers' files wait beside their
// path under the name the files provider gives its own.
func TestAsidePathIsTheFilesOne(t *testing.T) {
	l := &site{Machine: &machine.Machine{To: 7}}
	for _, p := range []string{"/etc/systemd/system/a.service", "/Users/alice/Library/LaunchAgents/x.plist"} {
		if got, want := AsidePath(p, 7), l.asidePath(p); got != want {
			t.Errorf("AsidePath(%s) = %s, want %s", p, got, want)
		}
		if filepath.Dir(AsidePath(p, 7)) != filepath.Dir(p) {
			t.Errorf("AsidePath(%s) is not in the same folder", p)
		}
	}
}

// TestReadSeenLooksBeforeItReads: a file written between the look and
// the read is read as written, and differs from what was seen, so a
// switch that replaces it stops rather than overwrite the edit.
func TestReadSeenLooksBeforeItReads(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.service")
	if err := os.WriteFile(p, []byte("one\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sys := &writeOnRead{System: system.NewReal(), path: p, data: "edited by hand\n"}
	data, seen, err := ReadSeen(sys, p)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != sys.data {
		t.Errorf("read %q, want %q", data, sys.data)
	}
	if seen.differs(sys, p) == "" {
		t.Errorf("seen %+v: the edit made after the look does not show", seen)
	}
	// Unchanged since: no difference; a link is seen with its target.
	if _, seen, _ = ReadSeen(sys, p); seen.differs(sys, p) != "" {
		t.Errorf("seen %+v differs from the unchanged file: %s", seen, seen.differs(sys, p))
	}
	l := p + ".link"
	if err := os.Symlink(p, l); err != nil {
		t.Fatal(err)
	}
	if _, seen, err = ReadSeen(sys, l); err != nil || seen.Kind != "link" || seen.Target != p || seen.differs(sys, l) != "" {
		t.Errorf("link: seen %+v, %v", seen, err)
	}
	if _, _, err := ReadSeen(sys, p+".missing"); !os.IsNotExist(err) {
		t.Errorf("missing: %v, want not exist", err)
	}
}

// writeOnRead writes data to path the first time it is read.
type writeOnRead struct {
	system.System
	path, data string
	done       bool
}

func (s *writeOnRead) ReadFile(name string) ([]byte, error) {
	if name == s.path && !s.done {
		s.done = true
		if err := os.WriteFile(name, []byte(s.data), 0o644); err != nil {
			return nil, err
		}
	}
	return s.System.ReadFile(name)
}
