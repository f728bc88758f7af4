package packages

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strings"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/packages/brewname"
	"github.com/gocfg/gocfg/platform/system"
)

// The three kinds of things Homebrew installs that gocfg manages.
const (
	kindFormula = "formula"
	kindCask    = "cask"
	kindTap     = "tap"
)

// envPath is env(1), through which brew gets its environment: sudo
// resets the environment of the command it runs, and env sets the
// variables again inside it, whatever the sudoers policy keeps.
const envPath = "/usr/bin/env"

// brewEnv are the variables every brew command runs with: no `brew
// update` before an install (a switch installs what the configuration
// names, it does not upgrade the machine behind the user's back), no
// cleanup pass after one, and no hints on how to silence brew.
var brewEnv = []string{"HOMEBREW_NO_AUTO_UPDATE=1", "HOMEBREW_NO_INSTALL_CLEANUP=1", "HOMEBREW_NO_ENV_HINTS=1"}

// A brew is Homebrew on one Mac: the brew program, and the user it runs
// as.
type brew struct {
	// Path is <prefix>/bin/brew.
	Path string
	// User, when not "", is the user brew runs as through `sudo -u User
	// -H --` (gocfg runs as root, and Homebrew refuses to); "" runs brew
	// as gocfg itself.
	User string
	// Zap makes the removal of casks `brew uninstall --cask --zap`,
	// which deletes their files too (macos.homebrew.cleanup = "zap").
	Zap bool
}

// findBrew returns <prefix>/bin/brew for the first of
// macos.HomebrewPrefixes that has one.
func findBrew(sys system.System) (string, bool) {
	for _, p := range macos.HomebrewPrefixes {
		if fi, err := sys.Stat(p + "/bin/brew"); err == nil && fi.Mode().IsRegular() {
			return p + "/bin/brew", true
		}
	}
	return "", false
}

// prefix is the Homebrew prefix brew lives in.
func (b brew) prefix() string { return strings.TrimSuffix(b.Path, "/bin/brew") }

// command returns `brew args...` run the way Homebrew wants it:
//
//	/usr/bin/env HOMEBREW_NO_AUTO_UPDATE=1 ... PATH=<prefix>/bin:... <brew> args...
//
// and, when gocfg runs as root, that whole line behind `sudo -u <user>
// -H --` (HOME is then the user's own, where brew keeps its cache). It
// runs in / : brew stops when it cannot read its working folder, as
// root's own would be for the user.
func (b brew) command(args ...string) system.Command {
	argv := append(append([]string(nil), brewEnv...), "PATH="+b.prefix()+"/bin:"+b.prefix()+"/sbin:/usr/bin:/bin:/usr/sbin:/sbin", b.Path)
	argv = append(argv, args...)
	c := macos.Command(envPath, argv...)
	if b.User != "" {
		c = macos.Command(macos.Sudo, append([]string{"-u", b.User, "-H", "--", envPath}, argv...)...)
	}
	c.Dir = "/"
	return c
}

// query is command for a question that changes nothing (brew list, brew
// tap, brew info): marked ReadOnly, it runs under gocfg plan's read-only
// System.
func (b brew) query(args ...string) system.Command {
	c := b.command(args...)
	c.ReadOnly = true
	return c
}

// ask runs the question `brew args...` (see query); its error carries
// brew's output.
func (b brew) ask(ctx context.Context, sys system.System, args ...string) ([]byte, error) {
	out, err := sys.Run(ctx, b.query(args...))
	if err != nil {
		return out, fmt.Errorf("brew %s: %w", strings.Join(args, " "), err)
	}
	return out, nil
}

// kindFlag is the flag that tells brew which kind a name is.
func kindFlag(kind string) string { return "--" + kind }

// listed returns what is installed of kind, by the names brew lists:
// `brew list --formula -1`, `brew list --cask -1`, or `brew tap` (the
// taps, normalized).
func (b brew) listed(ctx context.Context, q system.System, kind string) (map[string]bool, error) {
	args := []string{"list", kindFlag(kind), "-1"}
	if kind == kindTap {
		args = []string{"tap"}
	}
	out, err := b.ask(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read what Homebrew has installed: %w", err)
	}
	got := map[string]bool{}
	for _, n := range parseLines(out) {
		if kind == kindTap {
			n = brewname.Tap(n)
		}
		got[strings.ToLower(n)] = true
	}
	return got, nil
}

// parseLines reads brew's one-name-per-line lists, skipping blank lines
// and the warnings brew may print before the list.
func parseLines(out []byte) []string {
	var names []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "Warning:") || strings.HasPrefix(l, "==>") || strings.ContainsAny(l, " \t") {
			continue
		}
		names = append(names, l)
	}
	return names
}

// liveOf reports which of names are installed, given what brew lists:
// a formula or cask by its last segment (`brew list` shows
// "terraform" for "hashicorp/tap/terraform"), a tap by its normalized
// name.
func liveOf(kind string, names []string, listed map[string]bool) map[string]bool {
	got := map[string]bool{}
	for _, n := range names {
		got[n] = listed[listKey(kind, n)]
	}
	return got
}

// listKey is the name under which brew lists n.
func listKey(kind, n string) string {
	if kind == kindTap {
		return brewname.Tap(n)
	}
	return strings.ToLower(brewname.Base(n))
}

// install returns the command that installs names of kind in one run
// (a tap: one tap; brew taps one at a time).
func (b brew) install(kind string, names []string) system.Command {
	if kind == kindTap {
		return b.command("tap", names[0])
	}
	return b.command(append([]string{"install", kindFlag(kind)}, names...)...)
}

// remove returns the command that removes names of kind in one run (a
// tap: one tap).
func (b brew) remove(kind string, names []string) system.Command {
	if kind == kindTap {
		return b.command("untap", names[0])
	}
	args := []string{"uninstall", kindFlag(kind)}
	if b.Zap && kind == kindCask {
		args = append(args, "--zap")
	}
	return b.command(append(args, names...)...)
}

// A brewItem is what `brew info` says of one name: the name it goes by
// (for a formula its full name, "hashicorp/tap/terraform", or "wget" from
// homebrew/core; for a cask its full token) and whether it is installed.
type brewItem struct {
	Name      string
	Installed bool
}

// info asks `brew info --json=v2 --formula|--cask` about names. A name
// brew does not know lands in unknown with brew's message ("Error: No
// available formula with the name ..."); when brew fails for another
// reason (no network for a cask's API data, ...) the error is that.
func (b brew) info(ctx context.Context, q system.System, kind string, names []string) (items map[string]brewItem, unknown map[string]string, err error) {
	out, err := q.Run(ctx, b.query(append([]string{"info", "--json=v2", kindFlag(kind)}, names...)...))
	if err == nil {
		items, err := parseBrewInfo(out, kind, names)
		if err != nil {
			return nil, nil, fmt.Errorf("brew info: %w", err)
		}
		return items, map[string]string{}, nil
	}
	if !isUnavailable(out) {
		return nil, nil, fmt.Errorf("brew info %s: %w", strings.Join(names, " "), err)
	}
	if len(names) == 1 {
		return map[string]brewItem{}, map[string]string{names[0]: brewErrors(out)}, nil
	}
	// brew stops at the first name it does not know: ask about each
	// name, to report every unknown one at once.
	items, unknown = map[string]brewItem{}, map[string]string{}
	for _, n := range names {
		it, un, err := b.info(ctx, q, kind, []string{n})
		if err != nil {
			return nil, nil, err
		}
		for k, v := range it {
			items[k] = v
		}
		for k, v := range un {
			unknown[k] = v
		}
	}
	return items, unknown, nil
}

// isUnavailable reports whether brew's output says a name is unknown.
func isUnavailable(out []byte) bool {
	return bytes.Contains(out, []byte("No available formula")) || bytes.Contains(out, []byte("No Cask with this name")) ||
		bytes.Contains(out, []byte("is unavailable")) || bytes.Contains(out, []byte("No available cask"))
}

// brewErrors keeps the "Error:" lines of brew's output (all of it when
// there are none).
func brewErrors(out []byte) string {
	var keep []string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "Error:") {
			keep = append(keep, strings.TrimRight(l, " \r"))
		}
	}
	if len(keep) == 0 {
		return strings.TrimSpace(string(out))
	}
	return strings.Join(keep, "\n")
}

// brewInfoJSON is the part of `brew info --json=v2` gocfg reads.
type brewInfoJSON struct {
	Formulae []struct {
		Name      string            `json:"name"`
		FullName  string            `json:"full_name"`
		Aliases   []string          `json:"aliases"`
		Oldnames  []string          `json:"oldnames"`
		Installed []json.RawMessage `json:"installed"`
	} `json:"formulae"`
	Casks []struct {
		Token     string   `json:"token"`
		FullToken string   `json:"full_token"`
		OldTokens []string `json:"old_tokens"`
		Installed *string  `json:"installed"`
	} `json:"casks"`
}

// parseBrewInfo reads `brew info --json=v2` output about names (brew's
// warnings, on stderr, may come before the JSON). Each name is matched to
// the entry that has it as its name, full name, alias or old name, else
// to the entry in its position.
func parseBrewInfo(out []byte, kind string, names []string) (map[string]brewItem, error) {
	start := bytes.IndexByte(out, '{')
	if start < 0 {
		return nil, fmt.Errorf("no JSON in its output: %q", firstLine(out))
	}
	var doc brewInfoJSON
	if err := json.NewDecoder(bytes.NewReader(out[start:])).Decode(&doc); err != nil {
		return nil, fmt.Errorf("read its JSON: %w", err)
	}
	type entry struct {
		item  brewItem
		names []string
	}
	var entries []entry
	if kind == kindCask {
		for _, c := range doc.Casks {
			full := c.FullToken
			if full == "" {
				full = c.Token
			}
			entries = append(entries, entry{brewItem{full, c.Installed != nil && *c.Installed != ""}, append([]string{c.Token, c.FullToken}, c.OldTokens...)})
		}
	} else {
		for _, f := range doc.Formulae {
			full := f.FullName
			if full == "" {
				full = f.Name
			}
			entries = append(entries, entry{brewItem{full, len(f.Installed) > 0}, append(append([]string{f.Name, f.FullName}, f.Aliases...), f.Oldnames...)})
		}
	}
	got := map[string]brewItem{}
	for i, n := range names {
		found := false
		for _, e := range entries {
			for _, m := range e.names {
				if m != "" && (strings.EqualFold(m, n) || strings.EqualFold(m, brewname.Base(n))) {
					got[n], found = e.item, true
					break
				}
			}
			if found {
				break
			}
		}
		if !found && len(entries) == len(names) {
			got[n], found = entries[i].item, true
		}
		if !found {
			return nil, fmt.Errorf("%s: not in its answer", n)
		}
	}
	return got, nil
}

func firstLine(out []byte) string {
	l, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return l
}

// cleanBrew checks and sorts the names of one kind, dropping repeats: a
// formula or cask is "name" or "user/repo/name", a tap "user/repo"
// (normalized as brew names it).
func cleanBrew(opt, kind string, names []string) ([]string, error) {
	return sortedNames(names, func(n string) (string, bool) {
		slashes := strings.Count(n, "/")
		ok := n != "" && !strings.HasPrefix(n, "-") && !strings.ContainsAny(n, " \t\n\"'\\") && !strings.Contains(n, "//") &&
			!strings.HasPrefix(n, "/") && !strings.HasSuffix(n, "/")
		if kind == kindTap {
			ok = ok && slashes == 1
		} else {
			ok = ok && (slashes == 0 || slashes == 2)
		}
		if ok && kind == kindTap {
			return brewname.Tap(n), true // "user/homebrew-repo" is "user/repo"
		}
		return n, ok
	}, func(bad []string) error {
		one, many, like := "a formula name", "formula names", `"ripgrep" or "hashicorp/tap/terraform"`
		switch kind {
		case kindCask:
			one, many, like = "a cask name", "cask names", `"firefox" or "user/repo/cask"`
		case kindTap:
			one, many, like = "a tap name", "tap names", `"hashicorp/tap" (user/repo)`
		}
		return &platform.ConfigError{Option: opt, Msg: notNames(bad, one, many), Hint: "write names as Homebrew does, like " + like}
	})
}

// errBrewMissing is the plan's error when Homebrew is not installed.
func errBrewMissing(opt string) error {
	var where []string
	for _, p := range macos.HomebrewPrefixes {
		where = append(where, p+"/bin/brew")
	}
	return &platform.ConfigError{Option: opt, Msg: "Homebrew is not installed: no " + strings.Join(where, " or "),
		Hint: `install Homebrew as the user who will own it (https://brew.sh): /bin/bash -c "$(curl -fsSL https://raw.githubusercontent.com/Homebrew/install/HEAD/install.sh)", then run gocfg again`}
}
