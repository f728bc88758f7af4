package prefs_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/modules/plistval"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/macos/prefs"
	"howett.net/plist"
)

// The script and the module that says the same in gocfg's language.
var (
	scriptPath = filepath.Join("testdata", "defaults-script", "macos.sh")
	modulePath = filepath.Join("testdata", "defaults-script", "macos.hcl")
)

// A scriptCommand is one `defaults` command of a shell script.
type scriptCommand struct {
	line int
	sudo bool
	args []string // after "defaults"
}

// parseScript reads the `defaults` commands of a shell script the way the
// shell would split them: comments, line continuations, single and
// double quotes, backslashes, $HOME, ${HOME} and ~ (home is alice's);
// `sudo` in front runs the command as root. Other commands (osascript,
// killall, mkdir, loops) are skipped.
func parseScript(t *testing.T, path, home string) []scriptCommand {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	var out []scriptCommand
	for i := 0; i < len(lines); i++ {
		start, text := i+1, lines[i]
		// A backslash at the end of a line continues it.
		for strings.HasSuffix(text, `\`) && i+1 < len(lines) {
			i++
			text = strings.TrimSuffix(text, `\`) + lines[i]
		}
		words, err := shellWords(text, map[string]string{"HOME": home})
		if err != nil {
			t.Fatalf("%s:%d: %v", path, start, err)
		}
		sudo := false
		if len(words) > 0 && words[0] == "sudo" {
			sudo, words = true, words[1:]
		}
		if len(words) == 0 || words[0] != "defaults" {
			continue
		}
		out = append(out, scriptCommand{line: start, sudo: sudo, args: words[1:]})
	}
	return out
}

// errNotSimple marks a command the small shell of shellWords does not
// take: a defaults line must be a plain command.
var errNotSimple = errors.New("not a simple command")

// shellWords splits one command line into words as sh does for simple
// commands. A word that reaches an unquoted ; | & < > ( ) ends the
// command there; an unknown variable is an error, reported only if the
// command is `defaults` (other commands may use their own variables).
func shellWords(line string, env map[string]string) ([]string, error) {
	l := &shellLexer{env: env}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			l.flush()
		case c == '#' && !l.inWord:
			return l.done()
		case strings.IndexByte(";|&<>()", c) >= 0:
			ws, err := l.done()
			if err == nil && isDefaults(ws) {
				return nil, fmt.Errorf("%w: %q after %q", errNotSimple, c, strings.Join(ws, " "))
			}
			return ws, err
		case c == '\\':
			l.inWord = true
			if i+1 < len(line) {
				i++
				l.cur.WriteByte(line[i])
			}
		case c == '\'':
			l.inWord = true
			end := strings.IndexByte(line[i+1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("unterminated single quote")
			}
			l.cur.WriteString(line[i+1 : i+1+end])
			i += end + 1
		case c == '"':
			l.inWord = true
			next, err := l.doubleQuoted(line, i+1)
			if err != nil {
				return nil, err
			}
			i = next
		case c == '$':
			l.inWord = true
			v, next := l.expand(line, i)
			l.cur.WriteString(v)
			i = next - 1
		case c == '~' && !l.inWord:
			l.inWord = true
			l.cur.WriteString(env["HOME"])
		default:
			l.inWord = true
			l.cur.WriteByte(c)
		}
	}
	return l.done()
}

// shellLexer is the state of shellWords: the words so far, the word
// being read, and the first unknown variable met.
type shellLexer struct {
	env     map[string]string
	words   []string
	cur     strings.Builder
	inWord  bool
	unknown error
}

// doubleQuoted reads a double-quoted string from line[i:], just after
// its opening quote, into the current word, and returns the index of its
// closing quote.
func (l *shellLexer) doubleQuoted(line string, i int) (int, error) {
	for ; i < len(line) && line[i] != '"'; i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line) && strings.IndexByte("$`\"\\", line[i+1]) >= 0:
			i++
			l.cur.WriteByte(line[i])
		case line[i] == '$':
			v, next := l.expand(line, i)
			l.cur.WriteString(v)
			i = next - 1
		default:
			l.cur.WriteByte(line[i])
		}
	}
	if i >= len(line) {
		return i, fmt.Errorf("unterminated double quote")
	}
	return i, nil
}

// expand reads the variable at s[i] == '$' and returns its value and the
// index after it; a lone $ stands for itself.
func (l *shellLexer) expand(s string, i int) (string, int) {
	name, j := "", i+1
	if j < len(s) && s[j] == '{' {
		end := strings.IndexByte(s[j:], '}')
		if end < 0 {
			return "$", i + 1
		}
		name, j = s[j+1:j+end], j+end+1
	} else {
		for j < len(s) && isNameByte(s[j]) {
			j++
		}
		name = s[i+1 : j]
	}
	if name == "" {
		return "$", i + 1
	}
	v, ok := l.env[name]
	if !ok && l.unknown == nil {
		l.unknown = fmt.Errorf("variable $%s is not known here", name)
	}
	return v, j
}

// isNameByte reports whether b may be part of a shell variable's name.
func isNameByte(b byte) bool {
	return b == '_' || b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9'
}

func (l *shellLexer) flush() {
	if l.inWord {
		l.words = append(l.words, l.cur.String())
		l.cur.Reset()
		l.inWord = false
	}
}

func (l *shellLexer) done() ([]string, error) {
	l.flush()
	if l.unknown != nil && isDefaults(l.words) {
		return nil, l.unknown
	}
	return l.words, nil
}

// isDefaults reports whether words are a `defaults` command, with or
// without sudo.
func isDefaults(words []string) bool {
	if len(words) > 0 && words[0] == "sudo" {
		words = words[1:]
	}
	return len(words) > 0 && words[0] == "defaults"
}

// scriptKey is the resource ID a `defaults write` command sets, and the
// type flag it used ("" for an untyped value).
func scriptKey(c scriptCommand, user string) (id, flag string, err error) {
	args := c.args
	scope := prefs.ScopeUser
	if len(args) > 0 && args[0] == "-currentHost" {
		scope, args = prefs.ScopeHost, args[1:]
	}
	if len(args) < 4 || args[0] != "write" {
		return "", "", fmt.Errorf("want `defaults [-currentHost] write <domain> <key> <value...>`, got %q", c.args)
	}
	d := prefs.Domain{Scope: scope, User: user, Name: args[1]}
	switch {
	case d.Name == "-g" || d.Name == "-globalDomain":
		d.Name = prefs.GlobalDomain
	case strings.HasPrefix(d.Name, "/Library/Preferences/"):
		if !c.sudo {
			return "", "", fmt.Errorf("%s is written as root: the line needs sudo", d.Name)
		}
		d = prefs.Domain{Scope: prefs.ScopeSystem, Name: strings.TrimPrefix(d.Name, "/Library/Preferences/")}
	case c.sudo:
		return "", "", fmt.Errorf("sudo for the user domain %s", d.Name)
	}
	if strings.HasPrefix(args[3], "-") {
		flag = args[3]
	}
	return d.KeyID(args[2]), flag, nil
}

// runScript runs the script's `defaults write` commands in the fake Mac
// of r: as alice from her session, or as root for the sudo lines. It
// returns the distinct keys set and the forms used (type flags, "-g",
// "-currentHost", "sudo", "untyped").
func runScript(t *testing.T, r *rig, cmds []scriptCommand) (keys []string, forms map[string]bool) {
	t.Helper()
	ctx := context.Background()
	alice, err := r.layout().LookupMacUser(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	forms = map[string]bool{}
	for _, c := range cmds {
		id, flag, err := scriptKey(c, "alice")
		if err != nil {
			t.Fatalf("%s:%d: %v", scriptPath, c.line, err)
		}
		if !seen[id] {
			seen[id] = true
			keys = append(keys, id)
		}
		switch {
		case flag == "":
			forms["untyped"] = true
		default:
			forms[flag] = true
		}
		for _, a := range c.args[:3] {
			if a == "-g" || a == "-currentHost" {
				forms[a] = true
			}
		}
		cmd := macos.Command(macos.Defaults, c.args...)
		if c.sudo {
			forms["sudo"] = true
		} else {
			cmd = macos.AsUser(cmd, alice, true)
		}
		if out, err := r.fake.Run(ctx, cmd); err != nil {
			t.Fatalf("%s:%d: defaults %s: %v\n%s", scriptPath, c.line, strings.Join(c.args, " "), err, out)
		}
	}
	sort.Strings(keys)
	return keys, forms
}

// evalModule evaluates macos.hcl with the built-in modules on a Mac whose
// user is alice and returns the provider's Config.
func evalModule(t *testing.T, path string) *prefs.Config {
	t.Helper()
	ev, diags := modules.Load(modules.Options{Entry: path, Host: modules.Host{OS: "darwin", Arch: "arm64", Name: "mbp", User: "alice"}})
	if diags.HasErrors() {
		t.Fatalf("load %s: %s", path, diags.Error())
	}
	// The whole configuration evaluates: every built-in module's options,
	// asserts and warnings, with this module's definitions merged in.
	if _, more := ev.All(); len(more) > 0 {
		t.Fatalf("evaluate %s: %s", path, more.Error())
	}
	if len(diags) > 0 {
		t.Fatalf("load %s: %s", path, diags.Error())
	}
	value := func(option string) any {
		v, _, diags := ev.Value(option)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", option, diags.Error())
		}
		g, err := plistval.ToGo(v)
		if err != nil {
			t.Fatalf("%s: %v", option, err)
		}
		return g
	}
	user, ok := value("macos.primary_user").(string)
	if !ok || user != "alice" {
		t.Fatalf("macos.primary_user = %v, want alice (the host's user)", value("macos.primary_user"))
	}
	cfg, err := prefs.NewConfig(user, value("macos.defaults"), value("macos.current_host_defaults"), value("macos.system_defaults"))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// prefsFiles reads every preferences file of a fake Mac (alice's, her
// ByHost ones and the system's), by machine path.
func prefsFiles(t *testing.T, r *rig) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, dir := range []string{"/Users/alice/Library/Preferences", "/Users/alice/Library/Preferences/ByHost", "/Library/Preferences"} {
		ents, err := os.ReadDir(r.file(dir))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".plist") {
				continue
			}
			p := dir + "/" + e.Name()
			m, format := r.read(p)
			if format != plist.BinaryFormat {
				t.Errorf("%s: %s, want binary", p, plist.FormatNames[format])
			}
			out[p] = m
		}
	}
	return out
}

// typedDiff lists where a and b differ, types included: an <integer> 1
// and a <real> 1 differ here, unlike prefs.Equal.
func typedDiff(at string, a, b any) []string {
	if reflect.TypeOf(a) != reflect.TypeOf(b) {
		return []string{fmt.Sprintf("%s: %T %s vs %T %s", at, a, prefs.Show(a), b, prefs.Show(b))}
	}
	switch x := a.(type) {
	case map[string]any:
		y := b.(map[string]any)
		var out []string
		for k := range mergedKeys(x, y) {
			xv, xok := x[k]
			yv, yok := y[k]
			switch {
			case !xok:
				out = append(out, fmt.Sprintf("%s.%s: only in the second: %s", at, k, prefs.Show(yv)))
			case !yok:
				out = append(out, fmt.Sprintf("%s.%s: only in the first: %s", at, k, prefs.Show(xv)))
			default:
				out = append(out, typedDiff(at+"."+k, xv, yv)...)
			}
		}
		sort.Strings(out)
		return out
	case []any:
		y := b.([]any)
		if len(x) != len(y) {
			return []string{fmt.Sprintf("%s: %d elements vs %d", at, len(x), len(y))}
		}
		var out []string
		for i := range x {
			out = append(out, typedDiff(fmt.Sprintf("%s[%d]", at, i), x[i], y[i])...)
		}
		return out
	}
	if !reflect.DeepEqual(a, b) {
		return []string{fmt.Sprintf("%s: %s vs %s", at, prefs.Show(a), prefs.Show(b))}
	}
	return nil
}

func TestDefaultsScriptAndModuleWriteTheSamePreferences(t *testing.T) {
	// (a) The script, line by line, into one fake Mac.
	scripted := newRig(t)
	cmds := parseScript(t, scriptPath, "/Users/alice")
	keys, forms := runScript(t, scripted, cmds)
	if len(keys) < 40 {
		t.Fatalf("the script sets %d keys, want a long one (40 or more)", len(keys))
	}
	for _, f := range []string{"-bool", "-boolean", "-int", "-integer", "-float", "-string", "-array", "-array-add", "-dict", "-dict-add", "untyped", "-g", "-currentHost", "sudo"} {
		if !forms[f] {
			t.Errorf("the script uses no %s form", f)
		}
	}

	// (b) The module, evaluated with the built-in modules, switched into a
	// second fake Mac.
	cfg := evalModule(t, modulePath)
	managed := newRig(t)
	p := managed.switchTo(cfg)
	log := managed.log()

	// (c) Both Macs hold the same files with the same keys, types and
	// values.
	want, got := prefsFiles(t, scripted), prefsFiles(t, managed)
	for _, path := range sortedKeys(mergedKeys(want, got)) {
		w, inScript := want[path]
		g, inModule := got[path]
		switch {
		case !inScript:
			t.Errorf("%s: written by the module only: %v", path, g)
		case !inModule:
			t.Errorf("%s: written by the script only: %v", path, w)
		default:
			for _, d := range typedDiff(filepath.Base(path), w, g) {
				t.Errorf("script vs module: %s", d)
			}
		}
	}

	// (d) One write per distinct key the script sets: every key is new on
	// a fresh Mac, so the plan creates each once, and nothing else.
	var planned []string
	for _, c := range p.Shown() {
		if c.Action != platform.Create {
			t.Errorf("%s: %s, want create on a fresh Mac", c.ID, c.Action)
		}
		planned = append(planned, c.ID)
	}
	sort.Strings(planned)
	if !reflect.DeepEqual(planned, keys) {
		t.Errorf("planned:\n%s\nthe script sets:\n%s", strings.Join(planned, "\n"), strings.Join(keys, "\n"))
	}
	if n := len(writes(log)); n != len(keys) {
		t.Errorf("%d defaults writes, want one per distinct key of the script: %d", n, len(keys))
	}
	if again := managed.plan(evalModule(t, modulePath)); !again.Empty() {
		t.Errorf("second plan not empty:\n%s", strings.Join(shown(again), "\n"))
	}
	t.Logf("%d defaults commands, %d distinct keys in %d files", len(cmds), len(keys), len(want))
}

func TestShellWords(t *testing.T) {
	env := map[string]string{"HOME": "/Users/alice"}
	tests := []struct {
		line string
		want []string
		err  string
	}{
		{`defaults write -g KeyRepeat -int 2`, []string{"defaults", "write", "-g", "KeyRepeat", "-int", "2"}, ""},
		{`defaults write com.apple.dock "expose-group-apps" -bool true # comment`, []string{"defaults", "write", "com.apple.dock", "expose-group-apps", "-bool", "true"}, ""},
		{`defaults write x k -string "${HOME}/a b" 'it''s' "q\"\$" a\ b`, []string{"defaults", "write", "x", "k", "-string", "/Users/alice/a b", "its", `q"$`, "a b"}, ""},
		{`defaults write x k ~/y 'a#b' c#d`, []string{"defaults", "write", "x", "k", "/Users/alice/y", "a#b", "c#d"}, ""},
		// Other commands' variables are theirs: no error, and the words
		// end at the redirection.
		{`killall "${app}" > /dev/null 2>&1 || true`, []string{"killall", ""}, ""},
		{`defaults write x k -string "$USER"`, nil, "variable $USER is not known here"},
		{`defaults write x k v; killall Dock`, nil, "not a simple command"},
		{`sudo defaults write /Library/Preferences/x k "$HOST"`, nil, "variable $HOST is not known here"},
		{`defaults write x k 'v`, nil, "unterminated single quote"},
	}
	for _, tt := range tests {
		got, err := shellWords(tt.line, env)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: err = %v, want %q", tt.line, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.line, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.line, got, tt.want)
		}
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
