package main

import (
	"bufio"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"regexp"
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

// sshConfigFiles are the files ssh reads without -F: the user's, then the
// system's, each with the folder its relative Include paths are under.
func sshConfigFiles(home string) [][2]string {
	return [][2]string{{filepath.Join(home, ".ssh", "config"), filepath.Join(home, ".ssh")}, {"/etc/ssh/ssh_config", "/etc/ssh"}}
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
// folder they are in; by names the file and line that include them.
func checkInclude(env *Env, pattern, base, home, by string, depth int) error {
	switch {
	case pattern == "~" || strings.HasPrefix(pattern, "~/"):
		pattern = filepath.Join(home, strings.TrimPrefix(pattern, "~"))
	case !filepath.IsAbs(pattern):
		pattern = filepath.Join(base, pattern)
	}
	what := by + " " + pattern
	if dir := filepath.Dir(pattern); !strings.ContainsAny(dir, "*?[") {
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

// includeLine is an ssh_config line of the Include keyword (any case;
// "Include a b", "Include=a").
var includeLine = regexp.MustCompile(`^\s*(?i:include)(?:\s*=\s*|\s+)(.*)$`)

// includes returns the paths of an ssh_config line's Include keyword,
// quoted or not, else none.
func includes(line string) []string {
	m := includeLine.FindStringSubmatch(line)
	if m == nil {
		return nil
	}
	var out []string
	for rest := strings.TrimSpace(m[1]); rest != ""; rest = strings.TrimSpace(rest) {
		var p string
		switch end := strings.IndexByte(rest[1:], '"'); {
		case rest[0] == '"' && end >= 0:
			p, rest = rest[1:end+1], rest[end+2:]
		case rest[0] == '"':
			p, rest = rest[1:], ""
		default:
			p, rest, _ = strings.Cut(strings.ReplaceAll(rest, "\t", " "), " ")
		}
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// sshHome is the home folder ssh takes for ~ and ~/.ssh: the account's
// (getpwuid), not $HOME, which sudo may keep as the user's.
func sshHome(env *Env) string {
	if u, err := user.LookupId(strconv.Itoa(os.Geteuid())); err == nil && u.HomeDir != "" {
		return u.HomeDir
	}
	return env.Home
}
