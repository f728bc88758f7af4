package modules_test

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/modules"
)

// decls declares the options the merge tests use.
const decls = `
option "s" {
  type = null_or(str)
}
option "n" {
  type = int
  default = 1
}
option "f" {
  type = float
}
option "b" {
  type = bool
  default = false
}
option "mode" {
  type = enum(["link", "copy"])
  default = "link"
}
option "l" {
  type = list_of(str)
  default = ["from-default"]
}
option "txt" {
  type = lines
}
option "u" {
  type = uniq(str)
}
option "p" {
  type = null_or(path)
}
option "any" {
  type = attrs_of(anything)
  default = {}
}
option "users" {
  type = attrs_of(submodule({
    shell  = { type = str, default = "/bin/sh" }
    home   = null_or(path)
    groups = { type = list_of(str), default = [] }
    desc   = null_or(str)
  }))
  default = {}
}
option "maps" {
  type = list_of(submodule({
    src = int
    dst = { type = int, default = 0 }
  }))
  default = []
}
option "feature.enable" {
  type = bool
  default = false
}
option "feature.pkgs" {
  type = list_of(str)
  default = []
}
`

// writeWithDecls writes the files with decls before default.hcl's text.
func writeWithDecls(t *testing.T, files map[string]string) string {
	t.Helper()
	all := map[string]string{}
	for k, v := range files {
		all[k] = v
	}
	all["default.hcl"] = decls + all["default.hcl"]
	return writeFiles(t, all)
}

func TestMergeRules(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string // default.hcl gets decls prepended
		path  string
		want  string // compact JSON
	}{
		{"plain beats default()", map[string]string{
			"default.hcl": `imports = ["./a.hcl"]
s = default("d")`,
			"a.hcl": `s = "plain"`,
		}, "s", `"plain"`},
		{"force beats plain", map[string]string{
			"default.hcl": `imports = ["./a.hcl"]
s = "plain"`,
			"a.hcl": `s = force("forced")`,
		}, "s", `"forced"`},
		{"override(10) beats force", map[string]string{
			"default.hcl": `imports = ["./a.hcl"]
s = force("forced")`,
			"a.hcl": `s = override(10, "ten")`,
		}, "s", `"ten"`},
		{"default() beats the option default", map[string]string{
			"default.hcl": `n = default(7)`,
		}, "n", `7`},
		{"option default when nothing defines", map[string]string{
			"default.hcl": ``,
		}, "n", `1`},
		{"equal plain definitions agree", map[string]string{
			"default.hcl": `imports = ["./a.hcl"]
s = "same"`,
			"a.hcl": `s = "same"`,
		}, "s", `"same"`},
		{"list default dropped once defined", map[string]string{
			"default.hcl": `l = ["x"]`,
		}, "l", `["x"]`},
		{"list order: before, plain, after, then module order", map[string]string{
			"default.hcl": `imports = ["./a.hcl"]
l = merge_all([after(["late1"]), ["p1"]])`,
			"a.hcl": `l = merge_all([["p2"], before(["early"]), after(["late2"])])`,
		}, "l", `["early","p1","p2","late1","late2"]`},
		{"lists of lower priority are dropped, not concatenated", map[string]string{
			"default.hcl": `imports = ["./a.hcl"]
l = default(["weak"])`,
			"a.hcl": `l = ["strong"]`,
		}, "l", `["strong"]`},
		{"lines concatenate with newlines, ordered", map[string]string{
			"default.hcl": `imports = ["./a.hcl"]
txt = "middle"`,
			"a.hcl": `txt = merge_all([after("last"), before("first")])`,
		}, "txt", `"first\nmiddle\nlast"`},
		{"attrs merge per key", map[string]string{
			"default.hcl": `imports = ["./a.hcl"]
users "alice" { shell = "/bin/zsh" }`,
			"a.hcl": `users = { bob = { groups = ["wheel"] } }`,
		}, "users", `{"alice":{"groups":[],"shell":"/bin/zsh"},"bob":{"groups":["wheel"],"shell":"/bin/sh"}}`},
		{"priorities per key inside attrs", map[string]string{
			"default.hcl": `imports = ["./a.hcl"]
users "alice" { shell = "/bin/bash" }`,
			"a.hcl": `users = { alice = { shell = force("/bin/zsh") } }`,
		}, "users.alice.shell", `"/bin/zsh"`},
		{"lists inside submodules concatenate", map[string]string{
			"default.hcl": `imports = ["./a.hcl"]
users "alice" { groups = ["a"] }`,
			"a.hcl": `users "alice" { groups = ["b"] }`,
		}, "users.alice.groups", `["a","b"]`},
		{"whole default() of an attrs option yields to any key", map[string]string{
			"default.hcl": `imports = ["./a.hcl"]
users = default({ bob = {} })`,
			"a.hcl": `users "alice" {}`,
		}, "users", `{"alice":{"groups":[],"shell":"/bin/sh"}}`},
		{"force() around a whole attrs value drops the other keys", map[string]string{
			"default.hcl": `imports = ["./a.hcl"]
users = force({ bob = {} })`,
			"a.hcl": `users "alice" { shell = force("/bin/zsh") }`,
		}, "users", `{"bob":{"groups":[],"shell":"/bin/sh"}}`},
		{"default() on a group reaches its options", map[string]string{
			"default.hcl": `imports = ["./a.hcl"]
feature = default({ enable = true, pkgs = ["weak"] })`,
			"a.hcl": `feature { pkgs = ["strong"] }`,
		}, "feature", `{"enable":true,"pkgs":["strong"]}`},
		{"wrappers at two levels of one definition", map[string]string{
			"default.hcl": `imports = ["./a.hcl"]
users = force({ alice = { shell = default("/bin/zsh"), groups = ["x"] } })`,
			"a.hcl": `users "alice" { shell = "/bin/bash" }`,
		}, "users", `{"alice":{"groups":["x"],"shell":"/bin/zsh"}}`},
		{"type_of shares a declared option's type", map[string]string{
			"default.hcl": `option "admins" {
  type    = type_of("users")
  default = {}
}
admins "root" { groups = ["wheel"] }`,
		}, "admins", `{"root":{"groups":["wheel"],"shell":"/bin/sh"}}`},
		{"an empty block defines a key with defaults", map[string]string{
			"default.hcl": `users "carol" {}`,
		}, "users.carol", `{"groups":[],"shell":"/bin/sh"}`},
		{"anything merges objects recursively", map[string]string{
			"default.hcl": `imports = ["./a.hcl"]
any = { dom = { a = 1, nested = { x = true } } }`,
			"a.hcl": `any "dom" {
  b = "two"
  c = real(1)
}
any = { dom = { nested = { y = false } } }`,
		}, "any", `{"dom":{"a":1,"b":"two","c":1.0,"nested":{"x":true,"y":false}}}`},
		{"anything: equal lists agree", map[string]string{
			"default.hcl": `imports = ["./a.hcl"]
any = { d = { k = [1, 2] } }`,
			"a.hcl": `any = { d = { k = [1, 2] } }`,
		}, "any", `{"d":{"k":[1,2]}}`},
		{"null_or: all null is null", map[string]string{
			"default.hcl": `imports = ["./a.hcl"]
s = null`,
			"a.hcl": `s = null`,
		}, "s", `null`},
		{"enum accepts its values", map[string]string{
			"default.hcl": `mode = "copy"`,
		}, "mode", `"copy"`},
		{"float accepts whole numbers and real()", map[string]string{
			"default.hcl": `imports = ["./a.hcl"]
f = 2`,
			"a.hcl": `f = real(2)`,
		}, "f", `2`},
		{"uniq takes one definition", map[string]string{
			"default.hcl": `u = "only"`,
		}, "u", `"only"`},
		{"relative paths resolve against the defining module", map[string]string{
			"default.hcl": `imports = ["./sub/a.hcl"]`,
			"sub/a.hcl":   `p = "./files/x"`,
		}, "p", `"$DIR/sub/files/x"`},
		{"when(true) and when(false)", map[string]string{
			"default.hcl": `l = merge_all([when(true, ["yes"]), when(false, ["no"])])`,
		}, "l", `["yes"]`},
		{"block when = false drops the whole block", map[string]string{
			"default.hcl": `users "dave" {
  when = false
  shell = "/bin/zsh"
}
users "erin" {
  when = host.os == "linux"
}`,
		}, "users", `{"erin":{"groups":[],"shell":"/bin/sh"}}`},
		{"mkIf pattern: a module sets B when option A is enabled", map[string]string{
			"default.hcl": `imports = ["./feature.hcl"]
feature { enable = true }`,
			"feature.hcl": `feature = when(config.feature.enable, { pkgs = ["tool"] })
l = when(config.feature.enable, concat(["base"], config.feature.pkgs))`,
		}, "l", `["base","tool"]`},
		{"merge_all gives several definitions", map[string]string{
			"default.hcl": `l = merge_all([["a"], when(false, ["b"]), after(["c"])])`,
		}, "l", `["a","c"]`},
		{"config references across modules, locals, host, env", map[string]string{
			"default.hcl": `imports = ["./a.hcl"]
locals {
  who = "${host.user}@${host.name}"
}
s = "${local.who} ${config.users.alice.shell} ${env("GOCFG_TEST")}"`,
			"a.hcl": `users "alice" { shell = "/bin/fish" }`,
		}, "s", `"alice@atlas /bin/fish from-env"`},
		{"a submodule field may read a sibling through config", map[string]string{
			"default.hcl": `users "alice" {
  shell = "/bin/zsh"
  desc  = "uses ${config.users.alice.shell}"
}`,
		}, "users.alice.desc", `"uses /bin/zsh"`},
		{"unset options read as null", map[string]string{
			"default.hcl": `s = config.f == null ? "f unset" : "f set"`,
		}, "s", `"f unset"`},
		{"try() on a missing attrs key", map[string]string{
			"default.hcl": `s = try(config.users.nobody.shell, "none")`,
		}, "s", `"none"`},
		{"a group takes a computed object", map[string]string{
			"default.hcl": `locals {
  feat = { enable = true, pkgs = ["x"] }
}
feature = local.feat`,
		}, "feature", `{"enable":true,"pkgs":["x"]}`},
		{"attrs keys from a for expression", map[string]string{
			"default.hcl": `users = { for n in ["a", "b"] : n => { shell = "/bin/${n}" } }`,
		}, "users", `{"a":{"groups":[],"shell":"/bin/a"},"b":{"groups":[],"shell":"/bin/b"}}`},
		{"a block adds one element to a list of submodules", map[string]string{
			"default.hcl": `imports = ["./a.hcl"]
maps {
  src = 1
  dst = 2
}`,
			"a.hcl": `maps {
  src = 3
}
maps = [{ src = 5, dst = 6 }]`,
		}, "maps", `[{"dst":2,"src":1},{"dst":0,"src":3},{"dst":6,"src":5}]`},
		{"file() and path() are relative to the module", map[string]string{
			"default.hcl": `imports = ["./sub/a.hcl"]`,
			"sub/a.hcl":   `s = "${trimspace(file("motd"))} ${path("x")}"`,
			"sub/motd":    "hello\n",
		}, "s", `"hello $DIR/sub/x"`},
		{"unset options are left out of output", map[string]string{
			"default.hcl": `users "z" {}`,
		}, "users.z", `{"groups":[],"shell":"/bin/sh"}`},
		{"submodule declarations unite", map[string]string{
			"default.hcl": `imports = ["./more.hcl"]
users "alice" { editor = "vim" }`,
			"more.hcl": `option "users" {
  type = attrs_of(submodule({
    editor = { type = str, default = "nano" }
  }))
}`,
		}, "users.alice", `{"editor":"vim","groups":[],"shell":"/bin/sh"}`},
		{"a module imported twice is loaded once", map[string]string{
			"default.hcl": `imports = ["./a.hcl", "./b.hcl"]`,
			"a.hcl":       `imports = ["./b.hcl"]`,
			"b.hcl": `imports = ["./a.hcl"]
l = ["once"]`,
		}, "l", `["once"]`},
		{"a folder import loads every module in it, sorted", map[string]string{
			"default.hcl": `imports = ["./mods"]`,
			"mods/b.hcl":  `l = ["b"]`,
			"mods/a.hcl":  `l = ["a"]`,
			"mods/c.txt":  `not a module`,
		}, "l", `["a","b"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeWithDecls(t, tt.files)
			got, diags := evalJSON(t, dir, tt.path, false)
			if diags.HasErrors() {
				t.Fatalf("unexpected errors: %s", diags.Error())
			}
			want := strings.ReplaceAll(tt.want, "$DIR", dir)
			if got != want {
				t.Errorf("%s =\n  %s\nwant\n  %s", tt.path, got, want)
			}
		})
	}
}

func TestMergeErrors(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		path    string
		summary string
		detail  []string // substrings of the detail
		at      string   // file:line of the subject
	}{
		{"conflicting scalars list every definition", map[string]string{
			"default.hcl": `imports = ["./a.hcl"]
s = "one"`,
			"a.hcl": `s = "two"`,
		}, "s", "Conflicting definitions of s", []string{`default.hcl:`, `: "one"`, `a.hcl:1:5: "two"`, "force(", "default("}, "a.hcl:1"},
		{"uniq refuses two definitions", map[string]string{
			"default.hcl": `imports = ["./a.hcl"]
u = "x"`,
			"a.hcl": `u = "x"`,
		}, "u", "Option defined more than once", []string{"unique"}, "a.hcl:1"},
		{"null_or refuses null mixed with a value", map[string]string{
			"default.hcl": `imports = ["./a.hcl"]
s = null`,
			"a.hcl": `s = "x"`,
		}, "s", "Option defined both null and not null", nil, "a.hcl:1"},
		{"int refuses a fraction", map[string]string{
			"default.hcl": `n = 1.5`,
		}, "n", "Invalid value for n", []string{"whole number"}, ""},
		{"str refuses a number", map[string]string{
			"default.hcl": `s = 3`,
		}, "s", "Invalid value for s", []string{"str", "number"}, ""},
		{"enum refuses other values", map[string]string{
			"default.hcl": `mode = "move"`,
		}, "mode", "Invalid value for mode", []string{`"move" is not one of its values`}, ""},
		{"anything refuses unequal scalars", map[string]string{
			"default.hcl": `imports = ["./a.hcl"]
any = { d = { k = 1 } }`,
			"a.hcl": `any = { d = { k = real(1) } }`,
		}, "any", "Conflicting definitions of any.d.k", nil, "a.hcl:1"},
		{"cycles name the chain", map[string]string{
			"default.hcl": `s = config.txt
txt = config.s`,
		}, "s", "Cycle in configuration", []string{"s -> txt -> s"}, ""},
		{"cycles through locals", map[string]string{
			"default.hcl": `locals {
  a = local.b
  b = config.s
}
s = local.a`,
		}, "s", "Cycle in configuration", []string{"s -> local.a -> local.b -> s"}, ""},
		{"undeclared options suggest names", map[string]string{
			"default.hcl": `feature { enabel = true }`,
		}, "", "Undeclared option feature.enabel", []string{"Did you mean feature.enable?"}, "default.hcl"},
		{"undeclared submodule fields suggest names", map[string]string{
			"default.hcl": `users "a" { shel = "x" }`,
		}, "", "Undeclared option users.a.shel", []string{"users.a.shell"}, "default.hcl"},
		{"reading an undeclared option", map[string]string{
			"default.hcl": `s = config.feature.enabled ? "a" : "b"`,
		}, "s", "Undeclared option feature.enabled", []string{"feature.enable"}, "default.hcl"},
		{"a wrapper inside a value is refused", map[string]string{
			"default.hcl": `l = concat(["a"], force(["b"]))`,
		}, "l", "Invalid function argument", []string{"valid only as the whole value of a definition"}, ""},
		{"duplicate keys in one object", map[string]string{
			"default.hcl": `any = { d = { k = 1, k = 2 } }`,
		}, "", "Duplicate key", nil, "default.hcl"},
		{"when needs a bool", map[string]string{
			"default.hcl": `l = when("yes", ["x"])`,
		}, "l", "Invalid condition", nil, ""},
		{"a failed assert", map[string]string{
			"default.hcl": `assert {
  condition = config.n > 5
  message   = "n must be above 5"
}`,
		}, "", "Assertion failed", []string{"n must be above 5"}, ""},
		{"a missing import is reported at its line", map[string]string{
			"default.hcl": `imports = ["./nope.hcl"]`,
		}, "", "Import not found", []string{"nope.hcl"}, "default.hcl"},
		{"the same option declared twice", map[string]string{
			"default.hcl": `option "s" {
  type = str
}`,
		}, "", "Option declared twice", []string{"declared at"}, ""},
		{"an unknown type", map[string]string{
			"default.hcl": `option "x" {
  type = string
}`,
		}, "", "Unknown type", []string{"Types are bool, str"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeWithDecls(t, tt.files)
			_, diags := evalJSON(t, dir, tt.path, false)
			if !diags.HasErrors() {
				t.Fatalf("no error")
			}
			found := false
			for _, d := range diags {
				if d.Summary != tt.summary {
					continue
				}
				found = true
				for _, s := range tt.detail {
					if !strings.Contains(d.Detail, s) {
						t.Errorf("detail %q lacks %q", d.Detail, s)
					}
				}
				if tt.at != "" {
					if d.Subject == nil {
						t.Fatalf("no subject")
					}
					file, line, _ := strings.Cut(tt.at, ":")
					if !strings.HasSuffix(d.Subject.Filename, "/"+file) {
						t.Errorf("subject in %s, want %s", d.Subject.Filename, file)
					}
					if line != "" && line != itoa(d.Subject.Start.Line) {
						t.Errorf("subject at line %d, want %s", d.Subject.Start.Line, line)
					}
				}
			}
			if !found {
				t.Errorf("no diagnostic %q among:\n%s", tt.summary, diags.Error())
			}
		})
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// All may be called more than once (JSON("") calls it); the asserts and
// warns run once, so their diagnostics are not repeated.
func TestAllIsIdempotent(t *testing.T) {
	dir := writeFiles(t, map[string]string{"default.hcl": decls + `warn {
  condition = true
  message   = "once"
}`})
	ev, diags := modules.Load(modules.Options{Entry: filepath.Join(dir, "default.hcl"), NoBuiltins: true})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	_, first := ev.All()
	_, second := ev.All()
	if len(first) != 1 || first[0].Detail != "once" || len(second) != 0 {
		t.Errorf("first All: %v; second All: %v", first, second)
	}
}

// User units share the system units' type, but not user and group.
func TestUserUnitsRefuseUser(t *testing.T) {
	dir := writeFiles(t, map[string]string{"default.hcl": `home "alice" {
  systemd {
    services "sync" {
      exec_start = "/usr/bin/true"
      user       = "bob"
    }
  }
}`})
	_, diags := evalJSON(t, dir, "", true)
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "do not apply to user units") {
		t.Errorf("want the user-unit assert, got %v", diags)
	}
	dir = writeFiles(t, map[string]string{"default.hcl": `home "alice" {
  systemd {
    services "sync" {
      exec_start = "/usr/bin/true"
    }
  }
}`})
	got, diags := evalJSON(t, dir, `home.alice.systemd.services.sync.exec_start`, true)
	if diags.HasErrors() || got != `"/usr/bin/true"` {
		t.Errorf("user unit = %s, %v", got, diags)
	}
}

// TestWhenConditionReportedOnce: the definitions of one when block share
// its condition, which is evaluated once: an invalid one is one error,
// not one for each definition it guards.
func TestWhenConditionReportedOnce(t *testing.T) {
	dir := writeWithDecls(t, map[string]string{"default.hcl": `feature = when("yes", {
  enable = true
  pkgs   = ["a"]
})
l = when("yes", ["x"])`})
	_, diags := evalJSON(t, dir, "", false)
	var at []string
	for _, d := range diags {
		if d.Summary == "Invalid condition" {
			at = append(at, d.Subject.String())
		}
	}
	if len(at) != 2 {
		t.Errorf("%d errors Invalid condition, want 2 (one for each when): %v\n%s", len(at), at, diags.Error())
	}
}

// TestSameErrorReportedOnce: a submodule's default is evaluated for each
// instance; an error in it is the same error (the same words at the same
// place) for all of them, and is reported once.
func TestSameErrorReportedOnce(t *testing.T) {
	dir := writeWithDecls(t, map[string]string{"default.hcl": `option "x" {
  type    = attrs_of(submodule({ a = { type = str, default = 1 + "q" } }))
  default = {}
}
x = { p = {}, q = {}, r = {} }`})
	_, diags := evalJSON(t, dir, "", false)
	n := 0
	for _, d := range diags {
		if d.Summary == "Invalid operand" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d errors Invalid operand, want 1:\n%s", n, diags.Error())
	}
}
