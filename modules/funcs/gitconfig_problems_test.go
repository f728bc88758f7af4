package funcs

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty/function"
)

// TestGitconfigProblems: each kind of problem, its path under the
// prefix, and what is not one (a null value, a subsection's name in
// case, a list of scalars).
func TestGitconfigProblems(t *testing.T) {
	tests := []struct {
		name, config, also string
		// want: "kind at name" per problem, in order, and for "case" and
		// "twice" the setting, and the group.
		want []string
	}{
		{"none", `{ user = { name = "A" }, url = { "git@h:" = { insteadOf = "https://h/" } }, core = { x = ["a", 1, true, null] } }`, `null`, nil},
		{"empty and null", `{}`, `null`, nil},
		{"bad section, the subsection inside its name", `{ "url \"https://h/\"" = { insteadOf = "x" } }`, `null`,
			[]string{`section p."url \"https://h/\"" url "https://h/"`}},
		{"empty section name", `{ "" = { a = 1 } }`, `null`, []string{`section p."" `}},
		{"bad subsection", `{ url = { "a\nb" = { k = 1 } } }`, `null`, []string{`subsection p."url"."a\nb" url.a` + "\n" + `b`}},
		{"bad keys", `{ core = { "1st" = 1, "a_b" = 2, "-x" = 3, "" = 4, ok-1 = 5 } }`, `null`,
			[]string{`key p."core"."" core.`, `key p."core"."-x" core.-x`, `key p."core"."1st" core.1st`, `key p."core"."a_b" core.a_b`}},
		{"bad values", `{ core = { a = [[1]], b = [{}] }, url = { h = { k = { deep = 1 } } } }`, `null`,
			[]string{`value p."core"."a" core.a`, `value p."core"."b" core.b`, `value p."url"."h"."k" url.h.k`}},
		{"nul", `{ core = { a = "x\u0000y", b = ["ok", "\u0000"] } }`, `null`,
			[]string{`nul p."core"."a" core.a`, `nul p."core"."b" core.b`}},
		{"case", `{ init = { defaultBranch = "main", defaultbranch = "trunk" }, Init = { DEFAULTBRANCH = null } }`, `null`,
			[]string{`case p."init"."defaultBranch" init.defaultBranch init.defaultbranch init.defaultBranch and init.defaultbranch`,
				`case p."init"."defaultbranch" init.defaultbranch init.defaultbranch init.defaultBranch and init.defaultbranch`}},
		{"a subsection's name is exact", `{ url = { "A" = { k = 1 }, "a" = { k = 2 } } }`, `null`, nil},
		{"twice", `{ User = { Name = "B", email = null }, filter = { lfs = { clean = "x" } } }`,
			`{ user = { name = "A", email = "a@x" }, filter = { lfs = { clean = "git-lfs clean" } } }`,
			[]string{`twice p."User"."Name" User.Name user.name`, `twice p."filter"."lfs"."clean" filter.lfs.clean filter.lfs.clean`}},
		{"not twice when the typed option is null", `{ user = { name = "B" } }`, `{ user = { name = null } }`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := `gitconfig_problems(` + tt.config + `, "p", ` + tt.also + `)`
			expr, diags := hclsyntax.ParseExpression([]byte(src), "t.hcl", hcl.InitialPos)
			if diags.HasErrors() {
				t.Fatalf("%s: %s", src, diags.Error())
			}
			v, diags := expr.Value(&hcl.EvalContext{Functions: map[string]function.Function{"gitconfig_problems": gitconfigProblemsFunc}})
			if diags.HasErrors() {
				t.Fatalf("%s: %s", src, diags.Error())
			}
			var got []string
			for it := v.ElementIterator(); it.Next(); {
				_, p := it.Element()
				f := []string{p.GetAttr("kind").AsString(), p.GetAttr("at").AsString(), p.GetAttr("name").AsString()}
				if k := f[0]; k == "case" || k == "twice" {
					f = append(f, p.GetAttr("setting").AsString())
				}
				if s := p.GetAttr("group").AsString(); s != "" {
					f = append(f, s)
				}
				got = append(got, strings.Join(f, " "))
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("%s:\n got %q\nwant %q", src, got, tt.want)
			}
		})
	}
}
