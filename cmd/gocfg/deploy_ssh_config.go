package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/internal/pathtrust"
)

// maxIncludeDepth bounds the Include chain followed (ssh's own limit is
// 16).
const maxIncludeDepth = 16

// untrustedSSHConfig checks an ssh_config file and, through its Include
// lines, every file it includes (globs expanded; a relative path is under
// base: ~/.ssh for the user's files, /etc/ssh for the system's, as ssh
// takes it), and every folder in which a file it would include could be
// made: ssh runs what any of them says (LocalCommand, ProxyCommand,
// Match exec), and checks none of their modes under -F (reviewer R19: a
// closed file that included one in a team folder), nor, where it does
// check, what a file of /proc shows (tester AY: her setuid process's
// command line, root's and 0444, linked into a team folder that
// ~/.ssh/config included, ran her ProxyCommand as the deploying user).
// home is the user's home as ssh knows it (its account's, not $HOME);
// what names the file in errors.
//
// The check comes once, before the deploy; ssh reads the files again
// for each connection, minutes later. So no place where a name the
// Include reads could appear may be open to another user: a folder in
// which a pattern is matched may not be one others may make entries in,
// sticky or not, and a name not there yet may not be in a sticky folder
// others may write (reviewer R23: /tmp/x.conf, and a pattern in /tmp,
// both passed, and her file made after the check ran her command).
func untrustedSSHConfig(env *Env, path, base, home, what string) error {
	return checkSSHConfig(env, path, base, home, what, 0, &includeBudget{left: maxIncludeChecks, seen: map[string]int{}, matched: map[[2]string][]string{}, placed: map[string][]string{}})
}

// includeBudget is what one check may still look at: a path is counted
// once, and a file's includes are read again only from a shallower depth
// than before (reviewer R25: 3,000 files that each included one common
// file were refused as more than 10,000).
type includeBudget struct {
	left int
	seen map[string]int // path → the smallest depth it was read at (-1: looked at, not read)
	// matched are the names a pattern part matched in a folder, by
	// folder and part, and placed the files an Include's pattern
	// matched: each looked at once.
	matched map[[2]string][]string
	placed  map[string][]string
}

// spend counts path; isNew is false for a path looked at already (then
// nothing is counted), ok false when the budget is spent.
func (b *includeBudget) spend(path string) (isNew, ok bool) {
	if _, seen := b.seen[path]; seen {
		return false, true
	}
	b.seen[path] = -1
	b.left--
	return true, b.left >= 0
}

// read reports whether the file path must be read at depth: not read yet
// at this depth or a shallower one.
func (b *includeBudget) read(path string, depth int) bool {
	if d, ok := b.seen[path]; ok && d >= 0 && d <= depth {
		return false
	}
	b.seen[path] = depth
	return true
}

// maxIncludeChecks bounds the files and folders one check looks at:
// Includes that fan out (each file including a folder's every file)
// would otherwise cost the number of files to the 16th power.
const maxIncludeChecks = 10000

// maxSSHConfigSize bounds the bytes of one ssh_config file read.
const maxSSHConfigSize = 16 << 20

// sshConfigFiles are the files ssh reads without -F: the user's (in the
// account's home), then the system's, each with the folder its relative
// Include paths are under (the user's under includes, $HOME's ~/.ssh).
func sshConfigFiles(home, includes string) [][2]string {
	return [][2]string{{filepath.Join(home, ".ssh", "config"), filepath.Join(includes, ".ssh")}, {"/etc/ssh/ssh_config", "/etc/ssh"}}
}

// checkSSHConfig checks the file path (what names it) and what it
// includes. Its lines are read whole, however long (reviewer R23: a
// line of 64 KiB ended bufio.Scanner's reading, and the Include after
// it went unchecked).
func checkSSHConfig(env *Env, path, base, home, what string, depth int, budget *includeBudget) error {
	if !budget.read(path, depth) {
		return nil // checked, and read from as deep a level or shallower
	}
	if err := untrustedRunner(env, path, what, sshConfigSo, sshConfigHint); err != nil {
		return err
	}
	if depth >= maxIncludeDepth {
		return nil
	}
	if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
		// Missing (ssh's to report), or a folder a pattern matched,
		// which holds no lines; a FIFO or a device would never end, and
		// opening a FIFO waits (its owner is trusted: checked).
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil // replaced since by one of the user's own
	}
	text, err := io.ReadAll(io.LimitReader(f, maxSSHConfigSize+1))
	switch {
	case err != nil:
		return withHints(fmt.Errorf("%s: %w, so gocfg cannot tell what it includes", what, err), sshConfigHint)
	case len(text) > maxSSHConfigSize:
		return withHints(fmt.Errorf("%s: larger than %d MiB, so gocfg does not read it to tell what it includes", what, maxSSHConfigSize>>20), "make it smaller")
	}
	for i, line := range strings.Split(string(text), "\n") {
		for _, arg := range includeArgs(line) {
			if err := checkInclude(env, arg, base, home, fmt.Sprintf("%s, line %d, includes", path, i+1), depth, budget); err != nil {
				return err
			}
		}
	}
	return nil
}

// includeHint is what to do about an Include that gocfg refuses.
const includeHint = "remove that Include, or copy what it includes into ~/.ssh (yours, chmod go-w) and include the copy"

// checkInclude checks the files one Include argument names, and the
// folders they are in or could be made in (includePlaces); by names the
// file and line that include them.
func checkInclude(env *Env, arg, base, home, by string, depth int, budget *includeBudget) error {
	// Where ssh's reading and gocfg's could differ, refused: a pattern
	// with [ (glob(3) reads [^x] as ^ or x, an unclosed [ as itself, and
	// classes as [:alpha:]) or a backslash, which glob(3) reads as an
	// escape after argv_split kept it (reviewer R23); a % or ${, which
	// OpenSSH 9.9 and later expand, % per host.
	if strings.ContainsAny(arg, "[\\%") || strings.Contains(arg, "${") {
		return withHints(fmt.Errorf("%s %s: a path with [, \\, %% or ${, which gocfg does not read as every version of ssh does, so it cannot tell what ssh reads there", by, arg),
			"write the path out in that Include, with * and ? as its only patterns; a comment after an Include goes on a line of its own (OpenSSH before 8.7 reads its words as paths)")
	}
	pattern, err := expandInclude(env, arg, base, home)
	if err != nil {
		return withHints(fmt.Errorf("%s %s: %w, so gocfg cannot tell whether another user could change what ssh reads there", by, pattern, err), "write the path out in that Include")
	}
	if pattern, err = resolveDotDot(env, pattern, by+" "+pattern); err != nil {
		return err
	}
	what := by + " " + pattern
	files, ok := budget.placed[pattern]
	if !ok {
		if files, err = includePlaces(env, pattern, what, budget); err != nil {
			return err
		}
		budget.placed[pattern] = files
	}
	for _, m := range files {
		if err := checkSSHConfig(env, m, base, home, by+" "+m, depth+1, budget); err != nil {
			return err
		}
	}
	return nil
}

// includePlaces walks pattern, an absolute path whose parts may hold *
// and ?, part after part, as glob(3) does, and returns the files it
// matches. On the way it checks, with untrustedRunner, each path it
// reaches (a literal part: the way to it, and, if it is not there, that
// no one else may make it; a folder a pattern matched: that no one else
// may change it), and, with pathtrust.EntriesExposure, each folder in
// which a part that is a pattern is matched: no one else may make a new
// name there, sticky bit or not. Names are matched byte for byte, as
// glob(3) matches them (globMatch); its * and ? also match a name that
// begins with a dot, which glob(3)'s do not: more is checked, never less.
func includePlaces(env *Env, pattern, what string, budget *includeBudget) ([]string, error) {
	level := []string{"/"}
	parts := strings.Split(strings.TrimPrefix(filepath.Clean(pattern), "/"), "/")
	for k, part := range parts {
		last := k == len(parts)-1
		var next []string
		for _, dir := range level {
			var reached []string
			if !strings.ContainsAny(part, "*?") {
				reached = []string{filepath.Join(dir, part)}
			} else if !last && part[0] == '.' && (globMatch(part, ".") || globMatch(part, "..")) {
				// glob(3) reads . and .. from the folder too, which
				// os.ReadDir does not list (reviewer R27: ~/work/.*/x.conf
				// read ../x.conf, in another user's folder).
				return nil, withHints(fmt.Errorf("%s: %s matches . and .., which ssh follows", what, part), "write the folders of that Include out, or begin the pattern with something other than a dot")
			} else if names, ok := budget.matched[[2]string{dir, part}]; ok {
				reached = names
			} else {
				names, err := patternEntries(env, dir, part, what)
				if err != nil {
					return nil, err
				}
				budget.matched[[2]string{dir, part}] = names
				reached = names
			}
			for _, p := range reached {
				isNew, ok := budget.spend(p)
				if !ok {
					return nil, withHints(fmt.Errorf("%s: more than %d files and folders to check, so gocfg stops", what, maxIncludeChecks), "include fewer files, or files that include no others")
				}
				if !isNew {
					// Checked already, as a way on or a file.
					if fi, err := os.Stat(p); err == nil && (last || fi.IsDir()) {
						next = append(next, p)
					}
					continue
				}
				if li, err := os.Lstat(p); err == nil && !last && !li.IsDir() && li.Mode()&fs.ModeSymlink == 0 && entriesClosed(env, filepath.Dir(p)) {
					// A file where a folder is looked for: no way on,
					// nor can it become one while no one else may
					// replace it in its folder (reviewer R22; R27: hers
					// in /tmp, made a folder after the check). A link
					// could lead to one.
					continue
				}
				if err := untrustedRunner(env, p, what, sshConfigSo, includeHint); err != nil {
					return nil, err
				}
				fi, err := os.Stat(p) // glob(3) follows links
				if err == nil && (last || fi.IsDir()) {
					next = append(next, p)
				}
			}
		}
		level = next
	}
	return level, nil
}

// entriesClosed reports whether no one but the trusted users may make,
// rename or remove a name in dir (the folder it leads to), sticky bit or
// not.
func entriesClosed(env *Env, dir string) bool {
	p, ok := trustPolicy(env)
	if !ok {
		return true
	}
	fi, err := os.Stat(dir)
	return err == nil && pathtrust.EntriesExposure(dir, fi, p) == ""
}

// patternEntries are the names in dir that part, a pattern, matches,
// as paths, once it is known that no one else may make a new one there.
func patternEntries(env *Env, dir, part, what string) ([]string, error) {
	if p, ok := trustPolicy(env); ok {
		// The folder the names are read from: where dir leads, if it
		// is a link (reviewer R25: /var/lock, root's link to the sticky
		// /run/lock, passed as a link). The links on the way were
		// checked (includePlaces).
		fi, err := os.Stat(dir)
		if err != nil {
			return nil, withHints(fmt.Errorf("%s: %s cannot be looked at (%v), so gocfg cannot tell whether another user could add a file there", what, dir, err), includeHint)
		}
		if why := pathtrust.EntriesExposure(dir, fi, p); why != "" {
			where := dir
			if real, err := filepath.EvalSymlinks(dir); err == nil && real != dir {
				where = dir + " (" + real + ")"
			}
			return nil, withHints(fmt.Errorf("%s: %s %s, so another user could add a file that the pattern matches, and make ssh run her commands as you", what, where, why), includeHint)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, withHints(fmt.Errorf("%s: %s cannot be read (%v), so gocfg cannot tell what the pattern matches", what, dir, err), includeHint)
	}
	var out []string
	for _, e := range entries {
		if globMatch(part, e.Name()) {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out, nil
}

// globMatch reports whether name matches pattern, a part without [ or \,
// as glob(3) matches it, byte for byte: * any bytes, ? any one byte
// (reviewer R25: Go's ? is one character, and ??.conf missed é.conf,
// two bytes, which ssh read), anything else itself.
func globMatch(pattern, name string) bool {
	p, n := 0, 0
	star, from := -1, 0 // the last * and where its match ends
	for n < len(name) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, from = p, n
			p++
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == name[n]):
			p++
			n++
		case star >= 0:
			from++
			p, n = star+1, from
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// expandInclude is the path an Include pattern names, as ssh expands
// it: ~ and ~/ from includeHome, ~bob/ from bob's home (reviewer R20: it
// was taken as a path under ~/.ssh, and her file went unchecked), found
// in /etc/passwd or else the name service (getent: LDAP, SSSD; a build
// without cgo reads /etc/passwd alone; reviewer R21), a relative path
// under base. A ~name that neither knows is an error: ssh would read it
// from its working folder if no such user exists, but a name service
// that did not answer cannot be told from none (reviewer R22). The path
// is not cleaned: a .. in it is resolveDotDot's.
func expandInclude(env *Env, pattern, base, home string) (string, error) {
	switch {
	case pattern == "~" || strings.HasPrefix(pattern, "~/"):
		return includeHome(env, home) + strings.TrimPrefix(pattern, "~"), nil
	case strings.HasPrefix(pattern, "~"):
		name, rest, _ := strings.Cut(pattern[1:], "/")
		// An empty home is "": glob(3) then reads /rest (reviewer R23).
		if u, err := user.Lookup(name); err == nil {
			return "/" + u.HomeDir + "/" + rest, nil
		}
		// getent passwd 0 answers uid 0; glob(3) looks up names only.
		if pw := getent("passwd", name); len(pw) >= 6 && pw[0] == name {
			return "/" + pw[5] + "/" + rest, nil
		}
		return pattern, fmt.Errorf("no user %s is known here", name)
	case !filepath.IsAbs(pattern):
		return base + "/" + pattern, nil
	}
	return pattern, nil
}

// resolveDotDot is the path pattern names, with each .. taken as the
// kernel and glob(3) take it: the parent of the folder the path before it
// leads to, links followed, rather than of its text (reviewer R25:
// ~/.ssh/lnk/../x.conf, lnk a link to the sticky /run/lock/subsys, was
// checked as ~/.ssh/x.conf). The way to that folder is checked first: no
// one else may change where its links lead. A .. after a pattern is
// refused.
func resolveDotDot(env *Env, pattern, what string) (string, error) {
	parts := strings.Split(pattern, "/")
	if !slices.Contains(parts, "..") {
		return filepath.Clean(pattern), nil
	}
	cur := "/"
	for _, part := range parts {
		switch part {
		case "", ".":
			continue
		case "..":
			if strings.ContainsAny(cur, "*?") {
				return "", withHints(fmt.Errorf("%s: a .. after a pattern, which gocfg does not follow", what), "write the path out in that Include without ..")
			}
			if err := untrustedRunner(env, cur, what, sshConfigSo, includeHint); err != nil {
				return "", err
			}
			if real, err := filepath.EvalSymlinks(cur); err == nil {
				cur = real
			}
			cur = filepath.Dir(cur)
		default:
			cur = filepath.Join(cur, part)
		}
	}
	return cur, nil
}

// includeHome is the home an Include's ~ means: ssh expands it as glob(3)
// does, from $HOME where it is set (under sudo that keeps it, the
// invoking user's), else the account's (reviewer R20).
func includeHome(env *Env, home string) string {
	if h := env.Getenv("HOME"); h != "" {
		return h
	}
	return home
}

// sshHome is the home folder ssh takes for ~/.ssh/config: the account's
// (getpwuid), not $HOME, which sudo may keep as the user's.
func sshHome(env *Env) string {
	if u, err := user.LookupId(strconv.Itoa(os.Geteuid())); err == nil && u.HomeDir != "" {
		return u.HomeDir
	}
	return env.Home
}
