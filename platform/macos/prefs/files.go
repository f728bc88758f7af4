package prefs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"sync"

	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/system"
	"howett.net/plist"
)

// Files is the Store of a Mac's tree with no cfprefsd running (--root
// --os darwin, and the test fake): the plist files themselves, written in
// binary format as macOS writes them.
type Files struct {
	Sys  system.System
	User macos.User
	// HostUUID names the ByHost files of -currentHost domains.
	HostUUID string
}

var _ Store = (*Files)(nil)

// File is the plist file that holds d.
func (s *Files) File(d Domain) (string, error) {
	switch d.Scope {
	case ScopeSystem:
		return SystemFile(d.Name), nil
	case ScopeHost:
		if s.HostUUID == "" {
			return "", fmt.Errorf("%s: the hardware UUID that names ByHost files is not known", d)
		}
		return HostFile(s.User.Home, d.Name, s.HostUUID), nil
	}
	return UserFile(s.User.Home, d.Name), nil
}

// Export reads the domain's file; a missing file is an empty domain.
func (s *Files) Export(_ context.Context, d Domain) (map[string]any, error) {
	p, err := s.File(d)
	if err != nil {
		return nil, err
	}
	return s.read(p)
}

func (s *Files) read(p string) (map[string]any, error) {
	data, err := s.Sys.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]any{}, nil
	}
	if err != nil {
		return nil, err
	}
	return decodeDomain(data, p)
}

// Write sets key in the domain's file.
func (s *Files) Write(_ context.Context, d Domain, key string, v any) error {
	return s.update(d, func(m map[string]any) { m[key] = v })
}

// Delete removes key from the domain's file.
func (s *Files) Delete(_ context.Context, d Domain, key string) error {
	return s.update(d, func(m map[string]any) { delete(m, key) })
}

// update rewrites the domain's file atomically, in binary format, 0600
// and owned by the domain's user (root for system domains, 0644 there,
// as macOS keeps /Library/Preferences readable by all).
func (s *Files) update(d Domain, change func(map[string]any)) error {
	p, err := s.File(d)
	if err != nil {
		return err
	}
	m, err := s.read(p)
	if err != nil {
		return err
	}
	change(m)
	data, err := plist.Marshal(m, plist.BinaryFormat)
	if err != nil {
		return fmt.Errorf("%s: encode: %w", p, err)
	}
	mode, uid, gid := fs.FileMode(0o600), s.User.UID, s.User.GID
	if d.Scope == ScopeSystem {
		mode, uid, gid = 0o644, 0, 0
	}
	dir := path.Dir(p)
	if _, err := s.Sys.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := s.Sys.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		if d.Scope != ScopeSystem && uid > 0 {
			if err := s.Sys.Lchown(dir, uid, gid); err != nil {
				return err
			}
		}
	}
	if err := s.Sys.WriteFile(p, data, mode); err != nil {
		return err
	}
	if uid >= 0 {
		if err := s.Sys.Lchown(p, uid, gid); err != nil {
			return err
		}
	}
	return nil
}

// byHostName matches a ByHost file: <domain>.<UUID>.plist.
var byHostName = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\.([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\.plist$`)
})

// FindHostUUID returns the hardware UUID that names the ByHost files in
// home (the most common one), or "" when there are none: offline there
// is no machine to ask.
func FindHostUUID(sys system.System, home string) (string, error) {
	ents, err := sys.ReadDir(path.Join(home, "Library/Preferences/ByHost"))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	count := map[string]int{}
	for _, e := range ents {
		if m := byHostName().FindStringSubmatch(e.Name()); m != nil {
			count[m[1]]++
		}
	}
	var ids []string
	for id := range count {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if count[ids[i]] != count[ids[j]] {
			return count[ids[i]] > count[ids[j]]
		}
		return ids[i] < ids[j]
	})
	if len(ids) == 0 {
		return "", nil
	}
	return ids[0], nil
}
