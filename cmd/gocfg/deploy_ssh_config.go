package main

import (
	"bufio"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
)

// maxIncludeDepth bounds the Include chain followed (ssh's own limit is
// 16).
const maxIncludeDepth = 16

// untrustedSSHConfig checks an ssh_config file and, through its Include
// lines, every file it includes (globs expanded; a relative path is under
// base: ~/.ssh for the user's files, /etc/ssh for the system's, as ssh
// takes it), and the folder a pattern's files would be made in: ssh runs
// what any of them says (LocalCommand, ProxyCommand, Match exec), and
// checks none of their modes under -F (reviewer R19: a closed file that
// included one in a team folder), nor, where it does check, what a file
// of /proc shows (tester AY: her setuid process's command line, root's
// and 0444, linked into a team folder that ~/.ssh/config included,
// ran her ProxyCommand as the deploying user). home is the user's home
// as ssh knows it (its account's, not $HOME); what names the file in
// errors.
func untrustedSSHConfig(env *Env, path, base, home, what string) error {
	return checkSSHConfig(env, path, base, home, what, 0)
}

// sshConfigFiles are the files ssh reads without -F: the user's (in the
// account's home), then the system's, each with the folder its relative
// Include paths are under (the user's under includes, $HOME's ~/.ssh).
func sshConfigFiles(home, includes string) [][2]string {
	return [][2]string{{filepath.Join(home, ".ssh", "config"), filepath.Join(includes, ".ssh")}, {"/etc/ssh/ssh_config", "/etc/ssh"}}
}

// checkSSHConfig checks the file path (what names it) and what it
// includes.
func checkSSHConfig(env *Env, path, base, home, what string, depth int) error {
	if err := untrustedRunner(env, path, what, sshConfigSo, sshConfigHint); err != nil {
		return err
	}
	if depth >= maxIncludeDepth {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil // a missing include is ssh's to report
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		for _, pattern := range includes(sc.Text()) {
			if err := checkInclude(env, pattern, base, home, fmt.Sprintf("%s, line %d, includes", path, line), depth); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkInclude checks the files one Include pattern names, and the
// folders they are in; by names the file and line that include them.
func checkInclude(env *Env, pattern, base, home, by string, depth int) error {
	pattern, err := expandInclude(env, pattern, base, home)
	what := by + " " + pattern
	if err != nil {
		return withHints(fmt.Errorf("%s: %w, so gocfg cannot tell whether another user could change what ssh reads there", what, err), "write the path out in that Include")
	}
	// As glob(3) reads it: [!x] is Go's [^x] (reviewer R22).
	pattern = strings.ReplaceAll(pattern, "[!", "[^")
	if _, err := filepath.Match(pattern, ""); err != nil {
		return withHints(fmt.Errorf("%s: a pattern gocfg cannot read (%v), so it cannot tell what ssh reads there", what, err), "write the pattern out plainly in that Include")
	}
	for _, dir := range patternFolders(filepath.Dir(pattern)) {
		if err := untrustedRunner(env, dir, what, sshConfigSo, "remove that Include, or copy what it includes into ~/.ssh (yours, chmod go-w) and include the copy"); err != nil {
			return err
		}
	}
	matches, _ := filepath.Glob(pattern)
	for _, m := range matches {
		if err := checkSSHConfig(env, m, base, home, by+" "+m, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// patternFolders are the folders that files an Include pattern's folder
// part dir matches could be made in: the longest one without a pattern,
// and at each level after it every folder that level matches now, so
// that a folder another user may write, at any level, is found
// (reviewers R21, R22: /srv/*/team/*/x.conf checked only /srv and the
// last level). Files that match are no folders, and left out.
func patternFolders(dir string) []string {
	base := globFree(dir)
	out, level := []string{base}, []string{base}
	rest := strings.TrimPrefix(strings.TrimPrefix(dir, base), "/")
	if rest == "" {
		return out
	}
	for _, part := range strings.Split(rest, "/") {
		var next []string
		for _, p := range level {
			ms, _ := filepath.Glob(filepath.Join(p, part))
			for _, m := range ms {
				if fi, err := os.Stat(m); err == nil && fi.IsDir() {
					next = append(next, m)
				}
			}
		}
		out, level = append(out, next...), next
	}
	return out
}

// includes returns the paths of an ssh_config line's Include keyword,
// else none. The line is split as ssh splits it: words between spaces or
// tabs, "double" or 'single' quotes anywhere in a word (the keyword's
// too: "Include" is Include to ssh; reviewer R22), a backslash that
// keeps the next character, in quotes too (reviewer R20), and
// "Include=a" or "Include = a". A # is a word like any other: OpenSSH
// before 8.7 reads the words after it as paths too, so they are checked
// (reviewer R21); a comment's words name nothing, or a folder that must
// be safe anyway.
func includes(line string) []string {
	words := splitWords(line)
	if len(words) == 0 {
		return nil
	}
	key, rest, eq := strings.Cut(words[0], "=")
	if !strings.EqualFold(key, "include") {
		return nil
	}
	words = words[1:]
	if eq && rest != "" {
		words = append([]string{rest}, words...)
	} else if !eq && len(words) > 0 && strings.HasPrefix(words[0], "=") {
		if words[0] = strings.TrimPrefix(words[0], "="); words[0] == "" {
			words = words[1:]
		}
	}
	return words
}

// splitWords splits an ssh_config line into its words (includes).
func splitWords(line string) []string {
	var out []string
	var word strings.Builder
	inWord := false
	var quote rune
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case c == '\\' && i+1 < len(rs):
			i++
			word.WriteRune(rs[i])
			inWord = true
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			word.WriteRune(c)
		case c == '"' || c == '\'':
			quote, inWord = c, true
		case c == ' ' || c == '\t':
			if inWord {
				out = append(out, word.String())
				word.Reset()
				inWord = false
			}
		default:
			word.WriteRune(c)
			inWord = true
		}
	}
	if inWord {
		out = append(out, word.String())
	}
	return out
}

// expandInclude is the path an Include pattern names, as ssh expands
// it: ~ and ~/ from includeHome, ~bob/ from bob's home (reviewer R20: it
// was taken as a path under ~/.ssh, and her file went unchecked), found
// in /etc/passwd or else the name service (getent: LDAP, SSSD; a build
// without cgo reads /etc/passwd alone; reviewer R21), a relative path
// under base. A ~name that neither knows is an error: ssh would read it
// from its working folder if no such user exists, but a name service
// that did not answer cannot be told from none (reviewer R22).
func expandInclude(env *Env, pattern, base, home string) (string, error) {
	switch {
	case pattern == "~" || strings.HasPrefix(pattern, "~/"):
		return filepath.Join(includeHome(env, home), strings.TrimPrefix(pattern, "~")), nil
	case strings.HasPrefix(pattern, "~"):
		name, rest, _ := strings.Cut(pattern[1:], "/")
		if u, err := user.Lookup(name); err == nil {
			return filepath.Join(u.HomeDir, rest), nil
		}
		// getent passwd 0 answers uid 0; glob(3) looks up names only.
		if pw := getent("passwd", name); len(pw) >= 6 && pw[0] == name && pw[5] != "" {
			return filepath.Join(pw[5], rest), nil
		}
		return pattern, fmt.Errorf("no user %s is known here", name)
	case !filepath.IsAbs(pattern):
		return filepath.Join(base, pattern), nil
	}
	return pattern, nil
}

// globFree is the longest leading part of the folder dir without a
// pattern character.
func globFree(dir string) string {
	for strings.ContainsAny(dir, "*?[") {
		dir = filepath.Dir(dir)
	}
	return dir
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
