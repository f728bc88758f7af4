package main

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// maxIncludeDepth bounds the Include chain followed (ssh's own limit is
// 16).
const maxIncludeDepth = 16

// untrustedSSHConfig checks --ssh-config's file and, through its Include
// lines, every file it includes (globs expanded; a relative path is under
// ~/.ssh, as ssh takes it), and the folder a pattern's files would be
// made in: ssh runs what any of them says (LocalCommand, ProxyCommand),
// and checks none of their modes under -F (reviewer R19: a closed file
// that included one in a team folder). what names the flag in errors.
func untrustedSSHConfig(env *Env, path, what string) error {
	return checkSSHConfig(env, path, what, 0)
}

func checkSSHConfig(env *Env, path, what string, depth int) error {
	if err := untrustedFile(env, path, what); err != nil {
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
	for sc.Scan() {
		for _, pattern := range includes(sc.Text()) {
			if err := checkInclude(env, pattern, what, depth); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkInclude checks the files one Include pattern names, and the
// folder they are in.
func checkInclude(env *Env, pattern, what string, depth int) error {
	switch {
	case pattern == "~" || strings.HasPrefix(pattern, "~/"):
		pattern = filepath.Join(env.Home, strings.TrimPrefix(pattern, "~"))
	case !filepath.IsAbs(pattern):
		pattern = filepath.Join(env.Home, ".ssh", pattern)
	}
	what += " included " + pattern + ":"
	if dir := filepath.Dir(pattern); !strings.ContainsAny(dir, "*?[") {
		if err := untrustedFile(env, dir, what); err != nil {
			return err
		}
	}
	matches, _ := filepath.Glob(pattern)
	for _, m := range matches {
		if err := checkSSHConfig(env, m, what, depth+1); err != nil {
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
