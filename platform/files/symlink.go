package files

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/agext/levenshtein"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// environment.etc.<path>.symlink_to makes /etc/<path> a symbolic link to
// a fixed path on the machine (/etc/localtime → a zoneinfo file), as
// NixOS's `environment.etc.<name>.source` with `mode = "direct-symlink"`.
// It is planned as a "live" link whose target is that path: nothing is
// stored in the generation, and what was there before gocfg (kept with
// force = true, or --backup-ext) is put back when gocfg lets go.
//
// The target must exist when the plan is made, so that a name that
// names nothing (a mistyped time zone) fails the plan, with the closest
// names found next to where it was looked for. Under --root the target is
// looked for in the tree; when its folder is missing too, that is a note
// (the tree may be filled by a later step), not an error.

// symlinkSpec makes spec the symlink ef.SymlinkTo asks for.
func (l *site) symlinkSpec(s *fileSpec, ef EtcFile, d *desired) error {
	target := *ef.SymlinkTo
	opt := s.option + ".symlink_to"
	switch {
	case ef.Text != nil || ef.Source != nil:
		return &platform.ConfigError{Option: s.option, Msg: "set only one of text, source and symlink_to"}
	case !path.IsAbs(target) || path.Clean(target) != target:
		return &platform.ConfigError{Option: opt, Msg: fmt.Sprintf("%q is not a clean absolute path", target),
			Hint: "name a path on the machine, such as \"/usr/share/zoneinfo/Europe/Paris\""}
	case ef.Method == "copy" || s.modeCopy:
		return &platform.ConfigError{Option: s.option, Msg: "symlink_to makes a symbolic link; method = \"copy\" and mode do not apply to it",
			Hint: "drop method and mode"}
	case s.check != "":
		return &platform.ConfigError{Option: s.option + ".check", Msg: "symlink_to makes a symbolic link, whose content gocfg does not write; there is nothing to check",
			Hint: "drop check"}
	}
	s.method, s.symlinkTo, s.root = "live", target, etcRoot
	s.uid, s.gid = rootID(l), rootID(l)
	_, err := l.Sys.Stat(target)
	switch {
	case err == nil:
		return nil
	case l.Offline && errors.Is(err, fs.ErrNotExist) && !l.isDir(path.Dir(target)):
		d.notes = append(d.notes, fmt.Sprintf("%s: %s does not exist in the tree (yet); the link is made anyway", s.option, target))
		return nil
	}
	ce := &platform.ConfigError{Option: opt, Msg: fmt.Sprintf("%s: %v", target, unwrapPath(err))}
	if errors.Is(err, fs.ErrNotExist) {
		ce.Msg = target + " does not exist"
		ce.Hint = closeMatches(l.Sys, target)
	}
	return ce
}

func (l *site) isDir(p string) bool {
	fi, err := l.Sys.Stat(p)
	return err == nil && fi.IsDir()
}

// closeMatches names, for a path that does not exist, the entries of its
// nearest existing folder whose names are closest to the missing one
// ("did you mean /usr/share/zoneinfo/Europe/Paris?").
func closeMatches(sys system.System, p string) string {
	dir, name := path.Dir(p), path.Base(p)
	for dir != "/" {
		if fi, err := sys.Stat(dir); err == nil && fi.IsDir() {
			break
		}
		dir, name = path.Dir(dir), path.Base(dir)
	}
	entries, err := sys.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		return ""
	}
	type cand struct {
		name string
		d    int
	}
	var cs []cand
	lname := strings.ToLower(name)
	for _, e := range entries {
		n := e.Name()
		ln := strings.ToLower(n)
		d := levenshtein.Distance(lname, ln, nil)
		if ln == lname || strings.HasPrefix(ln, lname) || strings.HasPrefix(lname, ln) && len(ln) > 2 {
			d = 0
		}
		if d <= max(2, len(name)/3) {
			cs = append(cs, cand{n, d})
		}
	}
	if len(cs) == 0 {
		return fmt.Sprintf("no name in %s is close to %q", dir, name)
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].d != cs[j].d {
			return cs[i].d < cs[j].d
		}
		return cs[i].name < cs[j].name
	})
	if len(cs) > 5 {
		cs = cs[:5]
	}
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = path.Join(dir, c.name)
	}
	return "did you mean " + strings.Join(names, ", ") + "?"
}
