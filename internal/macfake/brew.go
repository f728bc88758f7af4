package macfake

import (
	"context"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform/packages/brewname"
)

func init() {
	register("brew", runBrew)
	// gocfg runs brew as `[sudo -u <user> -H --] env VAR=value ... brew
	// args`: sudo resets the environment, env sets Homebrew's variables
	// again.
	register("env", runEnv)
}

// BrewPath is where the fake's brew is found (Apple silicon's prefix):
// SeedBrew creates it; a tree without it is a Mac without Homebrew.
const BrewPath = "/opt/homebrew/bin/brew"

// BrewState is the fake's Homebrew (/.macfake/brew.json): what is
// installed and tapped, by the names `brew list` and `brew tap` print,
// and the catalogue brew can install from.
type BrewState struct {
	Formulae []string `json:"formulae"`
	Casks    []string `json:"casks"`
	Taps     []string `json:"taps"`
	// Dependencies are the installed formulae brew installed as
	// dependencies of others (not on request): `brew leaves
	// --installed-on-request` leaves them out.
	Dependencies []string      `json:"dependencies,omitempty"`
	Available    BrewCatalogue `json:"available"`
	// Zapped are the casks `brew uninstall --zap` removed with their
	// files, in order.
	Zapped []string `json:"zapped,omitempty"`
}

// A BrewCatalogue is what the fake brew knows: formulae and casks by
// name ("wget") or, from a tap other than Homebrew's own,
// "user/repo/name" (installable once that tap is tapped, or tapped on
// the fly by `brew install user/repo/name`); the taps `brew tap` can
// clone; and formula aliases (alias → formula).
type BrewCatalogue struct {
	Formulae []string          `json:"formulae"`
	Casks    []string          `json:"casks"`
	Taps     []string          `json:"taps"`
	Aliases  map[string]string `json:"aliases,omitempty"`
}

// DefaultBrewCatalogue is the catalogue of a fresh fake: the formulae of
// examples/macos-laptop, a few casks, and two third-party taps.
func DefaultBrewCatalogue() BrewCatalogue {
	return BrewCatalogue{
		Formulae: []string{"coreutils", "curl", "fd", "gh", "git", "go", "gopls", "htop", "jq", "neovim", "node",
			"mas", "pam-reattach", "pnpm", "python@3.12", "ripgrep", "rustup", "tree", "uv", "wget",
			"hashicorp/tap/terraform", "oven-sh/bun/bun"},
		Casks:   []string{"firefox", "iterm2", "rectangle", "visual-studio-code", "hashicorp/tap/hashicorp-vagrant"},
		Taps:    []string{"hashicorp/tap", "oven-sh/bun"},
		Aliases: map[string]string{"python3": "python@3.12"},
	}
}

// SeedBrew installs the fake Homebrew: it writes s (an empty catalogue
// part takes the default's) and creates BrewPath.
func (f *Fake) SeedBrew(s BrewState) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := DefaultBrewCatalogue()
	if s.Available.Formulae == nil {
		s.Available.Formulae = d.Formulae
	}
	if s.Available.Casks == nil {
		s.Available.Casks = d.Casks
	}
	if s.Available.Taps == nil {
		s.Available.Taps = d.Taps
	}
	if s.Available.Aliases == nil {
		s.Available.Aliases = d.Aliases
	}
	if err := f.saveBrew(&s); err != nil {
		return err
	}
	if err := f.System.MkdirAll(path.Dir(BrewPath), 0o755); err != nil {
		return err
	}
	return f.System.WriteFile(BrewPath, []byte("#!/bin/sh\n# macfake: brew is answered by the fake\n"), 0o755)
}

// Brew returns the fake Homebrew's state.
func (f *Fake) Brew() (BrewState, error) { return withLock(f, f.loadBrew) }

func (f *Fake) loadBrew() (BrewState, error) {
	return loadOr(f, "brew", BrewState{Available: DefaultBrewCatalogue()})
}

func (f *Fake) saveBrew(s *BrewState) error {
	for _, l := range []*[]string{&s.Formulae, &s.Casks, &s.Taps, &s.Dependencies} {
		if *l == nil {
			*l = []string{}
		}
		sort.Strings(*l)
		*l = slices.Compact(*l)
	}
	return f.Save("brew", s)
}

// runEnv answers `env VAR=value ... cmd args`: the variables are
// dropped, cmd is answered as the same user.
func runEnv(ctx context.Context, f *Fake, c Call) ([]byte, int) {
	args := c.Args
	for len(args) > 0 && !strings.HasPrefix(args[0], "-") && strings.Contains(args[0], "=") {
		args = args[1:]
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return []byte("macfake: env without a command, or with options, is not faked\n"), 127
	}
	name := path.Base(args[0])
	h, ok := handlers[name]
	if !ok || name == "env" {
		return []byte("macfake: not faked: " + name + "\n"), 127
	}
	return h(ctx, f, Call{User: c.User, Name: name, Args: args[1:]})
}

const brewRoot = "Error: Running Homebrew as root is extremely dangerous and no longer supported.\n" +
	"As Homebrew does not drop privileges on installation you would be giving all\n" +
	"build scripts full access to your system.\n"

// runBrew answers brew: list, leaves --installed-on-request, tap, untap,
// install, uninstall (--zap for casks), info.
func runBrew(_ context.Context, f *Fake, c Call) ([]byte, int) {
	if c.User == "root" {
		return []byte(brewRoot), 1
	}
	if len(c.Args) == 0 {
		return failf("macfake: brew without a command is not faked")
	}
	s, err := f.loadBrew()
	if err != nil {
		return failf("macfake: %v", err)
	}
	b := &fakeBrew{s: &s}
	cmd, rest := c.Args[0], c.Args[1:]
	var kinds []string
	var names []string
	zap := false
	for _, a := range rest {
		switch a {
		case "--formula", "--formulae":
			kinds = append(kinds, "formula")
		case "--cask", "--casks":
			kinds = append(kinds, "cask")
		case "-1", "--json=v2", "--installed-on-request", "-r":
		case "--zap":
			zap = true
		default:
			if strings.HasPrefix(a, "-") {
				return failf("macfake: brew %s %s is not faked", cmd, a)
			}
			names = append(names, a)
		}
	}
	var out []byte
	code := 0
	switch cmd {
	case "list":
		if len(names) > 0 {
			return failf("macfake: brew list NAME is not faked")
		}
		if len(kinds) == 0 {
			kinds = []string{"formula", "cask"}
		}
		var lines []string
		for _, k := range kinds {
			lines = append(lines, *b.installed(k)...)
		}
		return lineList(lines), 0
	case "tap":
		switch len(names) {
		case 0:
			return lineList(s.Taps), 0
		case 1:
			out, code = b.tap(names[0])
		default:
			return failf("macfake: brew tap NAME URL is not faked")
		}
	case "leaves":
		if !slices.Contains(rest, "--installed-on-request") && !slices.Contains(rest, "-r") || len(names) > 0 || len(kinds) > 0 {
			return failf("macfake: brew leaves without --installed-on-request is not faked")
		}
		var leaves []string
		for _, n := range s.Formulae {
			if !slices.Contains(s.Dependencies, n) {
				leaves = append(leaves, n)
			}
		}
		return lineList(leaves), 0
	case "untap":
		out, code = b.untap(names)
	case "install":
		out, code = b.install(kinds, names)
	case "uninstall", "remove", "rm":
		if zap && (len(kinds) != 1 || kinds[0] != "cask") {
			return failf("Error: Invalid usage: --zap needs --cask")
		}
		out, code = b.uninstall(kinds, names)
		if zap && code == 0 {
			s.Zapped = append(s.Zapped, names...)
		}
	case "info":
		if !slices.Contains(rest, "--json=v2") || len(kinds) != 1 {
			return failf("macfake: brew info without --json=v2 and one of --formula, --cask is not faked")
		}
		return b.info(kinds[0], names)
	default:
		return []byte("macfake: not faked: brew " + cmd + "\n"), 127
	}
	if code == 0 {
		if err := f.saveBrew(&s); err != nil {
			return failf("macfake: %v", err)
		}
	}
	return out, code
}

// fakeBrew is one brew command at work on the state.
type fakeBrew struct{ s *BrewState }

func lineList(names []string) []byte {
	if len(names) == 0 {
		return nil
	}
	return []byte(strings.Join(names, "\n") + "\n")
}

func (b *fakeBrew) installed(kind string) *[]string {
	if kind == "cask" {
		return &b.s.Casks
	}
	return &b.s.Formulae
}

func (b *fakeBrew) catalogue(kind string) []string {
	if kind == "cask" {
		return b.s.Available.Casks
	}
	return b.s.Available.Formulae
}

func unavailable(kind, name string) string {
	if kind == "cask" {
		return fmt.Sprintf("Error: Cask '%s' is unavailable: No Cask with this name exists.", name)
	}
	return fmt.Sprintf("Error: No available formula with the name %q.", name)
}

// resolve finds name's catalogue entry. A qualified name needs its tap
// tapped unless autoTap (install taps it on the fly); tapped is then the
// tap to add.
func (b *fakeBrew) resolve(kind, name string, autoTap bool) (entry, tapped string, msg string) {
	n := strings.ToLower(name)
	if a, ok := b.s.Available.Aliases[n]; ok && kind == "formula" {
		n = a
	}
	cat := b.catalogue(kind)
	if t := brewname.TapOf(n); t != "" {
		want := t + "/" + brewname.Base(n)
		for _, e := range cat {
			if brewname.TapOf(e) == t && strings.EqualFold(brewname.Base(e), brewname.Base(n)) {
				want = e
				break
			}
		}
		if !slices.Contains(cat, want) {
			return "", "", unavailable(kind, name)
		}
		if !slices.Contains(b.s.Taps, t) {
			if !autoTap {
				return "", "", unavailable(kind, name) + " Please tap it and then try again: brew tap " + t
			}
			if !slices.Contains(b.s.Available.Taps, t) {
				return "", "", "Error: Failure while executing; `git clone https://github.com/" + strings.Replace(t, "/", "/homebrew-", 1) + "` exited with 128."
			}
			return want, t, ""
		}
		return want, "", ""
	}
	n = brewname.Base(n)
	for _, e := range cat {
		if e == n || brewname.Base(e) == n && slices.Contains(b.s.Taps, brewname.TapOf(e)) {
			return e, "", ""
		}
	}
	return "", "", unavailable(kind, name)
}

func (b *fakeBrew) tap(name string) ([]byte, int) {
	t := brewname.Tap(name)
	if slices.Contains(b.s.Taps, t) {
		return nil, 0
	}
	if !slices.Contains(b.s.Available.Taps, t) {
		repo := strings.Replace(t, "/", "/homebrew-", 1)
		return []byte("==> Tapping " + t + "\nCloning into '/opt/homebrew/Library/Taps/" + repo + "'...\n" +
			"remote: Repository not found.\nfatal: repository 'https://github.com/" + repo + "/' not found\n" +
			"Error: Failure while executing; `git clone https://github.com/" + repo + " /opt/homebrew/Library/Taps/" + repo + " --origin=origin --template= --config core.fsmonitor=false` exited with 128.\n"), 1
	}
	b.s.Taps = append(b.s.Taps, t)
	return []byte("==> Tapping " + t + "\nTapped.\n"), 0
}

func (b *fakeBrew) untap(names []string) ([]byte, int) {
	if len(names) == 0 {
		return failf("Error: Invalid usage: This command requires at least 1 tap argument.")
	}
	for _, name := range names {
		t := brewname.Tap(name)
		if !slices.Contains(b.s.Taps, t) {
			return failf("Error: No available tap %s.", t)
		}
		var in []string
		for _, k := range []string{"formula", "cask"} {
			for _, e := range b.catalogue(k) {
				if brewname.TapOf(e) == t && slices.Contains(*b.installed(k), brewname.Base(e)) {
					in = append(in, brewname.Base(e))
				}
			}
		}
		if len(in) > 0 {
			return failf("Error: Refusing to untap %s because it contains the following installed formulae or casks:\n%s", t, strings.Join(in, "\n"))
		}
	}
	var out strings.Builder
	for _, name := range names {
		t := brewname.Tap(name)
		b.s.Taps = slices.DeleteFunc(b.s.Taps, func(x string) bool { return x == t })
		fmt.Fprintf(&out, "Untapping %s...\nUntapped.\n", t)
	}
	return []byte(out.String()), 0
}

// kindOf picks the kind of a name for install and uninstall: the flag's,
// else a formula when there is one, else a cask.
func (b *fakeBrew) kindOf(kinds []string, name string, installing bool) string {
	if len(kinds) == 1 {
		return kinds[0]
	}
	if installing {
		if e, _, _ := b.resolve("formula", name, true); e == "" {
			if e, _, _ := b.resolve("cask", name, true); e != "" {
				return "cask"
			}
		}
		return "formula"
	}
	if !slices.Contains(b.s.Formulae, brewname.Base(strings.ToLower(name))) && slices.Contains(b.s.Casks, brewname.Base(strings.ToLower(name))) {
		return "cask"
	}
	return "formula"
}

func (b *fakeBrew) install(kinds []string, names []string) ([]byte, int) {
	if len(names) == 0 {
		return failf("Error: Invalid usage: This command requires at least 1 formula or cask argument.")
	}
	type todo struct{ kind, entry, tap string }
	var all []todo
	var errs []string
	for _, n := range names {
		k := b.kindOf(kinds, n, true)
		e, t, msg := b.resolve(k, n, true)
		if msg != "" {
			errs = append(errs, msg)
			continue
		}
		all = append(all, todo{k, e, t})
	}
	if len(errs) > 0 {
		return []byte(strings.Join(errs, "\n") + "\n"), 1
	}
	var out strings.Builder
	for _, td := range all {
		if td.tap != "" && !slices.Contains(b.s.Taps, td.tap) {
			b.s.Taps = append(b.s.Taps, td.tap)
			fmt.Fprintf(&out, "==> Tapping %s\nTapped.\n", td.tap)
		}
		l := b.installed(td.kind)
		if slices.Contains(*l, brewname.Base(td.entry)) {
			fmt.Fprintf(&out, "Warning: %s 1.0 is already installed and up-to-date.\n", brewname.Base(td.entry))
			continue
		}
		*l = append(*l, brewname.Base(td.entry))
		fmt.Fprintf(&out, "==> Installing %s\n", td.entry)
	}
	return []byte(out.String()), 0
}

func (b *fakeBrew) uninstall(kinds []string, names []string) ([]byte, int) {
	if len(names) == 0 {
		return failf("Error: Invalid usage: This command requires at least 1 installed formula or cask argument.")
	}
	type todo struct{ kind, name string }
	var all []todo
	for _, n := range names {
		k := b.kindOf(kinds, n, false)
		name := brewname.Base(strings.ToLower(n))
		if a, ok := b.s.Available.Aliases[name]; ok && k == "formula" {
			name = brewname.Base(a)
		}
		if !slices.Contains(*b.installed(k), name) {
			if k == "cask" {
				return failf("Error: Cask '%s' is not installed.", n)
			}
			return failf("Error: No such keg: /opt/homebrew/Cellar/%s", name)
		}
		all = append(all, todo{k, name})
	}
	var out strings.Builder
	for _, td := range all {
		l := b.installed(td.kind)
		*l = slices.DeleteFunc(*l, func(x string) bool { return x == td.name })
		b.s.Dependencies = slices.DeleteFunc(b.s.Dependencies, func(x string) bool { return x == td.name })
		fmt.Fprintf(&out, "Uninstalling %s...\n", td.name)
	}
	return []byte(out.String()), 0
}

// info answers `brew info --json=v2 --formula|--cask names`: brew stops
// at the first name it does not know.
func (b *fakeBrew) info(kind string, names []string) ([]byte, int) {
	if len(names) == 0 {
		return failf("Error: Invalid usage: This command requires at least 1 argument.")
	}
	doc := map[string][]map[string]any{"formulae": {}, "casks": {}}
	for _, n := range names {
		e, _, msg := b.resolve(kind, n, false)
		if msg != "" {
			return []byte(msg + "\n"), 1
		}
		tap := brewname.TapOf(e)
		installed := slices.Contains(*b.installed(kind), brewname.Base(e))
		if kind == "cask" {
			if tap == "" {
				tap = "homebrew/cask"
			}
			var inst any
			if installed {
				inst = "1.0"
			}
			doc["casks"] = append(doc["casks"], map[string]any{"token": brewname.Base(e), "full_token": e, "tap": tap, "old_tokens": []string{}, "installed": inst})
			continue
		}
		if tap == "" {
			tap = "homebrew/core"
		}
		aliases := []string{}
		for a, to := range b.s.Available.Aliases {
			if to == e {
				aliases = append(aliases, a)
			}
		}
		sort.Strings(aliases)
		inst := []map[string]any{}
		if installed {
			inst = append(inst, map[string]any{"version": "1.0", "installed_on_request": true})
		}
		doc["formulae"] = append(doc["formulae"], map[string]any{"name": brewname.Base(e), "full_name": e, "tap": tap, "aliases": aliases, "oldnames": []string{}, "installed": inst})
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return failf("macfake: %v", err)
	}
	return append(out, '\n'), 0
}
