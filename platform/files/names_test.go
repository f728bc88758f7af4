package files

import (
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
)

// wantConfigError is one error a plan must report: its option, a part
// of its message and a part of its hint ("" for any); without is a part
// the hint must not have.
type wantConfigError struct {
	option, msg, hint, without string
}

// TestPlanNameErrors: the names a plan turns into paths (the keys of
// home, home file targets, environment.etc names) and the values it
// reads with them are checked when planning, each error naming its
// option with a hint, every error at once, before anything is written.
// Each of these passed the plan once and failed the switch late (or,
// for a home named "", planned /etc as a home folder of mode 0700).
func TestPlanNameErrors(t *testing.T) {
	long := strings.Repeat("a", 256)
	// Within NAME_MAX, but what gocfg adds to move it aside is not.
	nearly := strings.Repeat("n", nameMax-nameReserve+1)
	// 21 names of 200 bytes: 4221 bytes under the folder.
	deep := strings.Repeat(strings.Repeat("d", 199)+"/", 21) + "f"
	tests := []struct {
		name string
		cfg  func(fx *fixture) *Config
		errs []wantConfigError
	}{
		{
			name: "home keys that are not user names",
			cfg: func(*fixture) *Config {
				return &Config{Home: map[string]HomeConfig{
					"":       {Files: map[string]HomeFile{".z": text("z")}},
					"../etc": {Files: map[string]HomeFile{"motd": text("z")}},
					".":      {Files: map[string]HomeFile{"x": text("z")}},
					"a\x1bb": {Files: map[string]HomeFile{"x": text("z")}},
				}}
			},
			errs: []wantConfigError{
				{option: `home.""`, msg: "the name is empty", hint: `user names, like home "alice"`},
				{option: `home."."`, msg: `the name may not be "." or ".."`, hint: `user names`},
				{option: `home."../etc"`, msg: `the name may not contain "/"`, hint: "files under /etc go in environment.etc"},
				{option: `home."a\x1bb"`, msg: `control character '\x1b'`, hint: "user names"},
			},
		},
		{
			name: "a target name longer than 255 bytes",
			cfg:  one(long, text("x")),
			errs: []wantConfigError{{option: `home.alice.files."` + long + `"`, msg: `the target has a name "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…" that is 256 bytes long, more than the 223 bytes gocfg manages (a file name may have 255, and gocfg adds up to 32 to move it aside)`, hint: "shorten the name"}},
		},
		{
			name: "a target name that fits NAME_MAX, but not with what gocfg adds to move it aside",
			cfg:  one(nearly, text("x")),
			errs: []wantConfigError{{option: `home.alice.files."` + nearly + `"`, msg: `that is 224 bytes long, more than the 223 bytes gocfg manages`, hint: "shorten the name"}},
		},
		{
			name: "a target path longer than 4095 bytes",
			cfg:  one(deep, text("x")),
			errs: []wantConfigError{{option: `home.alice.files."` + deep + `"`, msg: "the path /home/alice/" + deep[:52] + "… is 4213 bytes long, more than the 4095 bytes a path may have", hint: "shorten"}},
		},
		{
			name: "an environment.etc name longer than 255 bytes, and its path",
			cfg: func(*fixture) *Config {
				return &Config{Etc: map[string]EtcFile{"x/" + long: {Text: ptr("x")}, deep: {Text: ptr("x")}}}
			},
			errs: []wantConfigError{
				{option: `environment.etc."` + deep + `"`, msg: "more than the 4095 bytes a path may have", hint: "shorten"},
				{option: `environment.etc."x/` + long + `"`, msg: "more than the 223 bytes gocfg manages", hint: "shorten"},
			},
		},
		{
			name: "a target starting with ~/",
			cfg:  homeOf(map[string]HomeFile{"~/.zshrc": text("x"), "~/./.config//nvim/init.lua": text("y"), "~": text("z")}),
			errs: []wantConfigError{
				{option: `home.alice.files."~"`, msg: `the target is "~", which gocfg does not expand: targets are relative to the home folder`, hint: `such as ".zshrc"`},
				{option: `home.alice.files."~/./.config//nvim/init.lua"`, msg: `starts with "~/"`, hint: `write ".config/nvim/init.lua"`},
				{option: `home.alice.files."~/.zshrc"`, msg: `starts with "~/"`, hint: `write ".zshrc"`},
			},
		},
		{
			name: "an empty environment.etc mode",
			cfg:  etc(map[string]EtcFile{"g": {Text: ptr("x"), Mode: ptr("")}}),
			errs: []wantConfigError{{option: `environment.etc."g".mode`, msg: `"" is not an octal file mode`, hint: `write it like "0644"`}},
		},
		{
			name: "two entries naming the same path",
			cfg:  homeOf(map[string]HomeFile{"x": text("x"), "./x": text("y")}),
			errs: []wantConfigError{{option: `home.alice.files."x"`, msg: `~alice/x is also defined by home.alice.files."./x"`,
				hint: "both name ~alice/x: remove one of them", without: "recursive"}},
		},
		{
			name: "a file of a recursive folder named alone too",
			cfg: func(fx *fixture) *Config {
				fx.source("nvim/init.vim", "x")
				return home(map[string]HomeFile{".config/nvim": {Source: ptr(fx.src + "/nvim"), Recursive: true}, ".config/nvim/init.vim": text("y")})
			},
			errs: []wantConfigError{{option: `home.alice.files.".config/nvim/init.vim"`, msg: `also defined by home.alice.files.".config/nvim"`,
				hint: `home.alice.files.".config/nvim" manages it as a file of its source folder`, without: "recursive = false"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			fx.edit = func(l *machine.Machine) { l.Switch.FailFast = true }
			before := fx.snapshot("/")
			p, _, err := fx.plan(tt.cfg(fx))
			if err == nil {
				t.Fatalf("plan succeeded: %q", ids(p.Changes))
			}
			got := providertest.ConfigErrors(err)
			if len(got) != len(tt.errs) {
				t.Fatalf("%d configuration errors, want %d: %v", len(got), len(tt.errs), err)
			}
			for i, w := range tt.errs {
				ce := got[i]
				if ce.Option != w.option || !strings.Contains(ce.Msg, w.msg) || !strings.Contains(ce.Hint, w.hint) || ce.Hint == "" ||
					w.without != "" && strings.Contains(ce.Hint, w.without) {
					t.Errorf("error %d: %+v\nwant option %s, message with %q, hint with %q (not %q)", i, ce, w.option, w.msg, w.hint, w.without)
				}
			}
			if d := diffSnapshots(before, fx.snapshot("/")); d != "" {
				t.Errorf("a failed plan changed the machine:\n%s", d)
			}
		})
	}
}

// TestPlanNamesAccepted: the limits are the system's, not narrower
// (but for what gocfg adds to a name to move it aside): a name of 223
// bytes; a live link whose path is 4095 bytes with the
// tree's folder (--root) in front, as the system calls get it; a copy
// whose path in the generation is (the state folder makes it longer
// than the file's own); a user name with a dot or capitals (an account
// gocfg did not make may have one); "~" inside a target; a mode written
// out. They are switched to. One byte more is refused.
func TestPlanNamesAccepted(t *testing.T) {
	fx := newFixture(t)
	fx.edit = func(l *machine.Machine) { l.Root = fx.Root }
	name255 := strings.Repeat("b", nameMax-nameReserve)
	src := fx.source("live", "l")
	live := deepTarget(4095 - len(fx.Root) - len(aliceHome+"/"))
	stored := deepTarget(4095 - len(fx.Root) - len(fx.Store.FilePath(1, "home/alice", "")+"/"))
	fx.mkdir("/home/jdoe")
	cfg := &Config{
		Home: map[string]HomeConfig{
			"alice": {Files: map[string]HomeFile{name255: text("x"), live: {Source: &src, Method: "live"}, stored: copyText("y"), "a/~/b": text("z"), "x~": text("w")}},
			"J.Doe": {Files: map[string]HomeFile{".zshrc": text("j")}},
		},
		Users: map[string]UserConfig{"J.Doe": {Home: ptr("/home/jdoe")}},
		Etc:   map[string]EtcFile{name255: {Text: ptr("x"), Mode: ptr("0644")}},
	}
	p := fx.switchTo(cfg)
	if got := fx.Read(aliceHome + "/" + stored); got != "y" {
		t.Errorf("the deepest copy holds %q", got)
	}
	for _, id := range []string{"file:~alice/" + name255, "file:~alice/" + live, "file:~alice/" + stored, "file:~alice/a/~/b", "file:~alice/x~", "file:~J.Doe/.zshrc", "file:/etc/" + name255} {
		if _, ok := changeByID(p.Changes, id); !ok {
			t.Errorf("no change for %s in %q", id, ids(p.Changes))
		}
	}

	// One byte more is refused, naming the tree.
	_, _, err := fx.plan(homeOf(map[string]HomeFile{live + "x": {Source: &src, Method: "live"}, stored + "x": copyText("y")})(fx))
	ces := providertest.ConfigErrors(err)
	want := []string{
		"the path /home/alice/" + live[:52] + "… (in the tree " + fx.Root + ") is 4096 bytes long, more than the 4095 bytes a path may have",
		"its path in the generation, /var/lib/gocfg/generations/2/files/home/alice/" + stored[:18] + "… (in the tree " + fx.Root + ") is 4096 bytes long, more than the 4095 bytes a path may have",
	}
	if len(ces) != 2 {
		t.Fatalf("plan: %v, want 2 errors", err)
	}
	for i, ce := range ces {
		if !strings.Contains(ce.Msg, want[i]) {
			t.Errorf("error %d: %s\nwant %q", i, ce.Msg, want[i])
		}
	}
}

// deepTarget is a target of n bytes: names of 200 bytes, then the rest.
func deepTarget(n int) string {
	var b strings.Builder
	for b.Len()+201 < n {
		b.WriteString(strings.Repeat("d", 199) + "/")
	}
	b.WriteString(strings.Repeat("f", n-b.Len()))
	return b.String()
}

// TestForceHintNamesTheEntry: the remedy of a file in the way names the
// entry's force option, home.alice.files.".zshrc".force, not
// home.alice.files; for a file of a recursive folder, the folder's.
func TestForceHintNamesTheEntry(t *testing.T) {
	runPlanCases(t, []planCase{
		{
			name:  "a file",
			setup: func(fx *fixture) { fx.Write("/home/alice/.zshrc", "mine") },
			cfg:   one(".zshrc", text("x")),
			conflicts: []wantConflict{{id: "file:~alice/.zshrc", problem: "a file is in the way",
				remedies: []string{`or set force = true on home.alice.files.".zshrc" to replace it`}}},
		},
		{
			name:  "a file of a recursive folder",
			setup: func(fx *fixture) { fx.Write("/home/alice/.config/nvim/init.vim", "mine") },
			cfg: func(fx *fixture) *Config {
				fx.source("nvim/init.vim", "x")
				return home(map[string]HomeFile{".config/nvim": {Source: ptr(fx.src + "/nvim"), Recursive: true}})
			},
			conflicts: []wantConflict{{id: "file:~alice/.config/nvim/init.vim", problem: "a file is in the way",
				remedies: []string{`or set force = true on home.alice.files.".config/nvim" to replace it`}}},
		},
	})
}
