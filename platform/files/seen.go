package files

import (
	"fmt"
	"io/fs"
	"syscall"

	"github.com/gocfg/gocfg/platform/system"
)

// A Seen is what the plan saw at a path: its kind, and a link's target or
// a file's or folder's size, modification time and inode. An op that
// replaces, moves aside or removes what is at a path acts only while it
// is still what the plan saw (compare and swap), so that an edit made
// while gocfg runs is never dropped: the op moves the path aside first
// (an atomic rename that keeps the inode; a swap with the new file where
// the file system can, see Aside.swap), checks what it moved against
// the Seen, and puts it back and stops the switch when they differ; what
// it moved aside is deleted at commit only if it still matches.
//
// The change time is not compared: a rename changes it.
type Seen struct {
	Kind   string `json:"kind"` // "file", "link", "dir" or "other"
	Target string `json:"target,omitempty"`
	Size   int64  `json:"size,omitempty"`
	Mtime  int64  `json:"mtime,omitempty"` // nanoseconds
	Ino    uint64 `json:"ino,omitempty"`
}

// seenOf returns what a live state is, or nil for an absent path.
func seenOf(lv *live) *Seen {
	switch lv.kind {
	case isLink:
		return &Seen{Kind: "link", Target: lv.target}
	case isFile, isDir, isOther:
		return seenInfo(lv.info)
	}
	return nil
}

func seenInfo(fi fs.FileInfo) *Seen {
	s := &Seen{Kind: "other", Size: fi.Size(), Mtime: fi.ModTime().UnixNano()}
	switch {
	case fi.Mode().IsRegular():
		s.Kind = "file"
	case fi.IsDir():
		s.Kind = "dir"
	case fi.Mode()&fs.ModeSymlink != 0:
		s.Kind = "link"
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		s.Ino = uint64(st.Ino)
	}
	return s
}

// differs says how what is at p now differs from s, or "" when it does
// not.
func (s *Seen) differs(sys system.System, p string) string {
	fi, err := sys.Lstat(p)
	if err != nil {
		return "it is gone"
	}
	now := seenInfo(fi)
	if now.Kind != s.Kind {
		return fmt.Sprintf("it was a %s and is a %s now", s.Kind, now.Kind)
	}
	if s.Kind == "link" {
		t, err := sys.Readlink(p)
		if err != nil || t != s.Target {
			return "the link points elsewhere now"
		}
		return ""
	}
	switch {
	case now.Ino != s.Ino:
		return "it was replaced"
	case s.Kind == "dir":
		// A folder's size and time change with every entry made or
		// removed in it, the switch's own removals of gocfg's links in
		// it first: compared, a folder holding a file of the user's could
		// never be moved to its backup (every switch failed with "it was
		// written to"). A folder is moved aside only to be kept (a
		// backup; force never replaces one), so what was added to it
		// since the plan is kept with it.
		return ""
	case now.Size != s.Size || now.Mtime != s.Mtime:
		return "it was written to"
	}
	return ""
}
