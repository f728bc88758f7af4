package funcs

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// evalGit evaluates src with the function library, as a module would.
func evalGit(t *testing.T, src string) (string, hcl.Diagnostics) {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "t.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("%s: %s", src, diags.Error())
	}
	v, diags := expr.Value(&hcl.EvalContext{Functions: map[string]function.Function{"gitconfig_encode": gitconfigFunc}})
	if diags.HasErrors() {
		return "", diags
	}
	return v.AsString(), nil
}

func TestGitconfigEncode(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"empty", `gitconfig_encode({})`, ""},
		{"null argument", `gitconfig_encode(null)`, ""},
		{
			"sections and keys sorted, scalars as git writes them",
			`gitconfig_encode({user = {name = "Alice Liddell", email = "alice@example.org"}, core = {autocrlf = false, abbrev = 12}})`,
			"[core]\n\tabbrev = 12\n\tautocrlf = false\n[user]\n\temail = alice@example.org\n\tname = Alice Liddell\n",
		},
		{
			"subsection, quoted and escaped",
			`gitconfig_encode({url = {"git@github.com:" = {insteadOf = "https://github.com/"}}, weird = {"a \"b\" \\c" = {k = "v"}}})`,
			"[url \"git@github.com:\"]\n\tinsteadOf = https://github.com/\n[weird \"a \\\"b\\\" \\\\c\"]\n\tk = v\n",
		},
		{
			"section keys before subsections, same section name",
			`gitconfig_encode({remote = {pushDefault = "origin", origin = {url = "x"}}})`,
			"[remote]\n\tpushDefault = origin\n[remote \"origin\"]\n\turl = x\n",
		},
		{
			"values that need quotes",
			`gitconfig_encode({a = {lead = " x", trail = "x ", hash = "a#b", semi = "a;b", quote = "say \"hi\"", back = "C:\\dir", nl = "1\n2", tab = "1\t2"}})`,
			"[a]\n\tback = C:\\\\dir\n\thash = \"a#b\"\n\tlead = \" x\"\n\tnl = 1\\n2\n\tquote = say \\\"hi\\\"\n\tsemi = \"a;b\"\n\ttab = 1\\t2\n\ttrail = \"x \"\n",
		},
		{
			"multi-valued variable, nulls left out, empty section left out",
			`gitconfig_encode({remote = {origin = {fetch = ["+refs/heads/*:refs/remotes/origin/*", "+refs/notes/*:refs/notes/*"]}}, user = {name = null}, empty = {}})`,
			"[remote \"origin\"]\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n\tfetch = +refs/notes/*:refs/notes/*\n",
		},
		{
			"several arguments merged by section",
			`gitconfig_encode({user = {name = "A"}}, {user = {email = "a@x"}, alias = {co = "checkout"}})`,
			"[alias]\n\tco = checkout\n[user]\n\temail = a@x\n\tname = A\n",
		},
		{
			"include and includeIf last, so what they include wins",
			`gitconfig_encode({includeIf = {"gitdir:~/work/" = {path = "work.inc"}, "onbranch:main" = {path = "main.inc"}}, include = {path = "all.inc"}, alias = {co = "checkout"}, user = {email = "me@home"}, zz = {a = 1}})`,
			"[alias]\n\tco = checkout\n[user]\n\temail = me@home\n[zz]\n\ta = 1\n[include]\n\tpath = all.inc\n" +
				"[includeIf \"gitdir:~/work/\"]\n\tpath = work.inc\n[includeIf \"onbranch:main\"]\n\tpath = main.inc\n",
		},
		{
			"a shell alias keeps its bang and quotes",
			`gitconfig_encode({alias = {lg = "!git log --format='%h %s' | head"}})`,
			"[alias]\n\tlg = !git log --format='%h %s' | head\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, diags := evalGit(t, tt.src)
			if diags.HasErrors() {
				t.Fatalf("%s: %s", tt.src, diags.Error())
			}
			if got != tt.want {
				t.Errorf("%s\ngot:\n%s\nwant:\n%s", tt.src, got, tt.want)
			}
		})
	}
}

func TestGitconfigEncodeErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{`gitconfig_encode("x")`, "an object of sections"},
		{`gitconfig_encode({user = "alice"})`, "section user: an object of keys"},
		{`gitconfig_encode({"my section" = {a = 1}})`, `section name "my section"`},
		{`gitconfig_encode({"" = {a = 1}})`, "section name cannot be empty"},
		{`gitconfig_encode({user = {"1name" = "x"}})`, "user.1name: a key starts with a letter"},
		{`gitconfig_encode({user = {"na_me" = "x"}})`, "user.na_me: a key starts with a letter"},
		{`gitconfig_encode({user = {"-name" = "x"}})`, "user.-name"},
		{`gitconfig_encode({a = {"x\ny" = {k = "v"}}})`, "cannot hold a newline"},
		{`gitconfig_encode({a = {k = "nul\u0000"}})`, "NUL"},
		{`gitconfig_encode({a = {k = [["nested"]]}})`, "a.k: a value is a string"},
		{`gitconfig_encode({user = {name = "A"}}, {user = {name = "B"}})`, "user.name is set twice"},
	}
	for _, tt := range tests {
		_, diags := evalGit(t, tt.src)
		if !diags.HasErrors() {
			t.Errorf("%s: no error, want %q", tt.src, tt.want)
			continue
		}
		if !strings.Contains(diags.Error(), tt.want) {
			t.Errorf("%s: error %q, want it to contain %q", tt.src, diags.Error(), tt.want)
		}
	}
}

// TestGitconfigEncodeRoundTrip: git itself reads back every value
// exactly as given, whatever characters it holds.
func TestGitconfigEncodeRoundTrip(t *testing.T) {
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not installed")
	}
	values := []string{
		"plain", " leading", "trailing ", "  both  ", "a#b", "a;b", `quote "x"`, `back\slash`,
		"line1\nline2", "tab\there", "back\bspace", "!sh -c 'echo $1' -", "ünïcødé", "", `"`, `\`, `\"`, "#", "x ;y",
	}
	subs := []string{"plain", "with space", `q"uote`, `back\slash`, "https://example.org/a b"}
	attrs := map[string]cty.Value{}
	keys := map[string]string{}
	for i, v := range values {
		k := "k" + string(rune('a'+i))
		attrs[k] = cty.StringVal(v)
		keys[k] = v
	}
	subAttrs := map[string]cty.Value{}
	for _, s := range subs {
		subAttrs[s] = cty.ObjectVal(map[string]cty.Value{"value": cty.StringVal(s)})
	}
	cfg := cty.ObjectVal(map[string]cty.Value{
		"test": cty.ObjectVal(attrs),
		"sub":  cty.ObjectVal(subAttrs),
	})
	out, err := gitconfigFunc.Call([]cty.Value{cfg})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(file, []byte(out.AsString()), 0o644); err != nil {
		t.Fatal(err)
	}
	get := func(name string) string {
		t.Helper()
		cmd := exec.Command(git, "config", "--file", file, "--get", name)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+t.TempDir())
		b, err := cmd.Output()
		if err != nil {
			t.Fatalf("git config --get %s: %v\n%s", name, err, out.AsString())
		}
		return strings.TrimSuffix(string(b), "\n")
	}
	for k, want := range keys {
		if got := get("test." + k); got != want {
			t.Errorf("test.%s: git reads %q, want %q\nfile:\n%s", k, got, want, out.AsString())
		}
	}
	for _, s := range subs {
		if got := get("sub." + s + ".value"); got != s {
			t.Errorf("sub.%s.value: git reads %q, want %q\nfile:\n%s", s, got, s, out.AsString())
		}
	}
}
