package files

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gocfg/gocfg/platform"
)

// The lengths the system allows, checked when planning: a name or path
// longer fails the switch with "file name too long" (ENAMETOOLONG)
// after the generation's objects are stored, so it is refused with
// the option instead, before anything is written.

// nameMax is NAME_MAX, the most bytes a file name may have (Linux and
// macOS).
const nameMax = 255

// nameHint is the hint of a name longer than nameMax.
const nameHint = "shorten the name: gocfg manages names of at most 223 bytes (255, NAME_MAX, less what it adds to move a file aside)"

// pathMax is the most bytes a path given to a system call, or a
// symlink's target, may have on os: PATH_MAX less its NUL, 4095 on
// Linux and 1023 on macOS.
func pathMax(os string) int {
	if os == "darwin" {
		return 1023
	}
	return 4095
}

// nameReserve is what gocfg may add to a managed name: ".gocfg-N~" when
// it moves the file aside to replace or remove it, ".gocfg-edited.N"
// when it keeps an edit, the temporary name of a replaced link (a dot
// and up to 20 digits). A name of 250 bytes could be made, but never
// changed or removed again (every later switch failed with "file name
// too long").
const nameReserve = 32

// nameTooLong says why a clean target rel cannot be managed: a name in
// it longer than nameMax less nameReserve bytes ("" when none is).
func nameTooLong(rel string) string {
	for seg := range strings.SplitSeq(rel, "/") {
		if len(seg) > nameMax-nameReserve {
			return fmt.Sprintf("the target has a name %s that is %d bytes long, more than the %d bytes gocfg manages (a file name may have %d, and gocfg adds up to %d to move it aside)",
				strconv.Quote(abridged(seg, 32)), len(seg), nameMax-nameReserve, nameMax, nameReserve)
		}
	}
	return ""
}

// checkLength refuses a file (of the entry option) that the switch
// could not make because a path it hands to the system would be longer
// than pathMax: the file's path; for a link or a copy, its path in the
// generation, which the switch stores it at and a copy is read from
// (longer than the file's path by the state folder's); and a link's
// target. Under --root each path is the tree's folder (Root) followed
// by the machine path, which is what the system calls get.
func (l *site) checkLength(option string, f *File) error {
	limit := pathMax(l.OS)
	tree, in := 0, ""
	if l.Offline && len(l.Root) > 1 {
		tree, in = len(l.Root), " (in the tree "+l.Root+")"
	}
	// The generation's path is the longest, and far below the limit
	// for nearly every file: made only near it.
	const slack = 512
	if tree+len(f.Path)+len(f.Root)+slack <= limit && len(f.Target) <= limit {
		return nil
	}
	hint := fmt.Sprintf("shorten the target: paths are at most %d bytes long (PATH_MAX), the generation's path of the file too", limit)
	tooLong := func(what, p string, n int) error {
		return &platform.ConfigError{Option: option, Hint: hint,
			Msg: fmt.Sprintf("%s %s%s is %d bytes long, more than the %d bytes a path may have", what, abridged(p, 64), in, n, limit)}
	}
	if n := tree + len(f.Path); n > limit {
		return tooLong("the path", f.Path, n)
	}
	if f.Method == "link" || f.Method == "copy" {
		stored := l.Store.FilePath(l.To, f.Root, f.Rel)
		if n := tree + len(stored); n > limit {
			return tooLong("its path in the generation,", stored, n)
		}
	}
	if f.Method == "link" && len(f.Target) > limit {
		return &platform.ConfigError{Option: option, Hint: hint,
			Msg: fmt.Sprintf("the link at %s would point at %s, %d bytes long, more than the %d bytes a link may hold", abridged(f.Path, 64), abridged(f.Target, 64), len(f.Target), limit)}
	}
	return nil
}

// abridged is s, when longer than keep bytes cut there (at a
// character's start) and followed by "…": a name of 300 bytes, or a
// path of 4,000, in a message.
func abridged(s string, keep int) string {
	if len(s) <= keep {
		return s
	}
	i := keep
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
