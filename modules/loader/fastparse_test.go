package loader

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/gocfg/gocfg/modules/syntax"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/rogpeppe/go-internal/txtar"
)

// sameAsHCL checks that parseFast, when it takes src, gives exactly
// hclsyntax's tree, and that it takes only what hclsyntax parses
// without errors. It returns whether parseFast took it.
func sameAsHCL(t *testing.T, name string, src []byte) bool {
	t.Helper()
	file, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	body, objects, ok := parseFast(src, name, nil)
	if !ok {
		return false
	}
	if diags.HasErrors() {
		t.Errorf("%s: parseFast took a file hclsyntax refuses (%s):\n%s", name, diags.Error(), src)
		return true
	}
	// parseFast makes a forexpr.Expr of each for-expression it reads
	// itself (not of those in a span it hands to hclsyntax): put the
	// ForExpr back to compare.
	unwrapFor(body)
	want := syntax.FromHCL(file.Body.(*hclsyntax.Body))
	compactStrings(body)
	compactStrings(want)
	if !reflect.DeepEqual(body, want) {
		t.Errorf("%s: parseFast's tree differs from hclsyntax's:\n%s", name, src)
		diffBodies(t, "", body, want)
	}
	if !objects && hasObjects(body) {
		t.Errorf("%s: parseFast says there is no object constructor of two items or more, but there is:\n%s", name, src)
	}
	return true
}

// hasObjects tells whether a tree holds an object constructor of two
// items or more, walking all of it.
func hasObjects(body *syntax.Body) bool {
	found := false
	eachAttr(body, func(a *syntax.Attribute) {
		_ = hclsyntax.VisitAll(a.Expr, func(n hclsyntax.Node) hcl.Diagnostics {
			if obj, ok := n.(*hclsyntax.ObjectConsExpr); ok && len(obj.Items) > 1 {
				found = true
			}
			return nil
		})
	})
	return found
}

// eachAttr calls f for every attribute of body and of the blocks in it.
func eachAttr(body *syntax.Body, f func(*syntax.Attribute)) {
	for i := range body.Attrs {
		f(&body.Attrs[i])
	}
	for i := range body.Blocks {
		eachAttr(&body.Blocks[i].Body, f)
	}
}

// TestParseFastObjects checks what parseFast says about object
// constructors, which spares modules without any the duplicate key
// check.
func TestParseFastObjects(t *testing.T) {
	for _, c := range []struct {
		src     string
		objects bool
	}{
		{"a = 1\nb {\n  c = [\"x\", 2]\n  d = { e = 1 }\n}\n", false},
		{"a = { b = 1, c = 2 }\n", true},
		{"a = [{ b = 1 }, { b = 1\n c = 2 }]\n", true},
		{"a = x == 1 ? 2 : 3\n", false},
		{"a = x ? { b = 1, c = 2 } : {}\n", true},
		{"a = [for k, v in x : { b = k, c = v }]\n", true},
		{"a = x[*].y\n", true}, // handed to hclsyntax: not looked into
	} {
		body, objects, ok := parseFast([]byte(c.src), "t.hcl", nil)
		if !ok {
			t.Fatalf("parseFast did not take %q", c.src)
		}
		if objects != c.objects {
			t.Errorf("%q: objects %v, want %v", c.src, objects, c.objects)
		}
		if !objects && hasObjects(body) {
			t.Errorf("%q: objects false, but the tree has one", c.src)
		}
	}
}

// diffBodies points at the first difference, for the failure message.
func diffBodies(t *testing.T, at string, got, want *syntax.Body) {
	t.Helper()
	if len(got.Attrs) != len(want.Attrs) {
		t.Errorf("%s%d attributes, want %d", at, len(got.Attrs), len(want.Attrs))
		return
	}
	for i := range want.Attrs {
		g, w := &got.Attrs[i], &want.Attrs[i]
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%sattribute %d:\n got %#v\nwant %#v\n got expr %#v\nwant expr %#v", at, i, *g, *w, g.Expr, w.Expr)
		}
	}
	if len(got.Blocks) != len(want.Blocks) {
		t.Errorf("%s%d blocks, want %d", at, len(got.Blocks), len(want.Blocks))
		return
	}
	for i := range want.Blocks {
		g, w := &got.Blocks[i], &want.Blocks[i]
		gb, wb := *g, *w
		gb.Body, wb.Body = syntax.Body{}, syntax.Body{}
		if !reflect.DeepEqual(gb, wb) {
			t.Errorf("%sblock %d:\n got %#v\nwant %#v", at, i, gb, wb)
		}
		diffBodies(t, at+w.Type+"/", &g.Body, &w.Body)
	}
}

// TestParseFastSameTree compares parseFast with hclsyntax on every
// module of the repository (built-ins, test fixtures, the modules of the
// command's scripts) and on cases written for its edges.
func TestParseFastSameTree(t *testing.T) {
	taken, total := 0, 0
	check := func(name string, src []byte) {
		total++
		if sameAsHCL(t, name, src) {
			taken++
		}
	}
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		switch {
		case strings.HasSuffix(p, ".hcl"):
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			check(p, src)
		case strings.HasSuffix(p, ".txtar"):
			a, err := txtar.ParseFile(p)
			if err != nil {
				return err
			}
			for _, f := range a.Files {
				if strings.HasSuffix(f.Name, ".hcl") {
					check(p+"/"+f.Name, f.Data)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, src := range fastParseCases {
		check("case"+string(rune('a'+i%26))+".hcl", []byte(src))
	}
	t.Logf("parseFast took %d of %d files", taken, total)
	if taken < total/2 {
		t.Errorf("parseFast took only %d of %d files", taken, total)
	}
}

// fastTabCases hold tabs, which are spaces between tokens (one column
// each) and text in strings, comments and heredocs: parseFast takes
// them all.
var fastTabCases = []string{
	"a\t=\t1\t# c\td\n",
	"b {\n\ta = \"x\\ty\tz\"\n\tc \"l\" {\n\t\td = [1,\t2]\n\t}\n}\n",
	"a = {\n\tb = 1\n\tc = f(x,\ty)\n}\n",
	"a = <<-EOT\n\t\tx\n\t  y\n\t\n\tEOT\n",
	"a = <<-EOT\n\t${x}\n\t\ty\n\tEOT\t\n",
	"a = <<EOT\n\tall:\n\t\tmake $@\nEOT\n",
	"a = [\n\t1,\n\t2,\n]\n",
	"a = x\t?\ty\t:\tz\n",
}

// TestParseFastTabs checks that parseFast takes each of fastTabCases,
// to hclsyntax's tree.
func TestParseFastTabs(t *testing.T) {
	for _, c := range fastTabCases {
		if !sameAsHCL(t, "t.hcl", []byte(c)) {
			t.Errorf("parseFast did not take %q", c)
		}
	}
}

// fastParseCases are edges of what parseFast takes or hands on.
var fastParseCases = []string{
	// Splats are parsed as the attribute's span, by hclsyntax: a newline
	// inside a splat's brackets is an error in a file (not in a lone
	// expression), and in a tuple it is not.
	"a = x[*].y\n",
	"a = x[ * ]\n",
	"a = x.*.y\n",
	"a = x[*\n]\n",
	"a = x[\n*]\n",
	"a = x[*] # c\n",
	"b {\n  a = x[*].y\n}\n",
	"b {\n  a = [x[*\n]]\n}\n",
	"a=x[*]\n",
	// for first in brackets is the keyword of a for-expression, even
	// before a dot (an error); elsewhere a variable may be named for.
	"a = [for.y]\n",
	"a = { for.x = 1 }\n",
	"a = [x, for.y]\n",
	"a = for.y\n",
	"a = f(for.y)\n",
	"",
	"\n",
	"a = 1",
	"a = 1\n",
	"  a = 1   \n\n",
	"# only a comment",
	"# comment\na = 1\n",
	"// comment\n\na = \"x\" # trailing\nb = []\n",
	"a = \"\"\nb = \"with spaces and {braces} [x]\"\n",
	"a = 1.5\nb = 10\nc = 1e3\nd = 1.x\ne = -1\n",
	"a = true\nb = false\nc = null\nd = x\ne = x.y.z\nf = x.y[0]\ng = true.x\n",
	"a = [1, 2, 3]\nb = [\n  \"a\",\n  \"b\",\n]\nc = [ ]\nd = [[1], [2, [3]]]\n",
	"a = f()\nb = f(1, \"x\")\nc = f (1)\nd = f(\n  1,\n)\ne = f(x...)\nf = ns::f(1)\n",
	"a = 1 + 2\nb = x ? 1 : 2\nc = \"${x}\"\nd = \"a${x}b\"\ne = {a = 1}\nf = [for x in y : x]\n",
	"a = \"esc \\\" \\n\"\nb = \"$${lit}\"\nc = \"%%{lit}\"\nd = \"$x\"\n",
	"a = <<EOT\nhello\nEOT\n",
	"a = <<EOT\nhello\nEOT\nb = 1\n",
	"a = <<-EOT\n  hello ${x}\n  more %{ if y }z%{ endif }\n  EOT\nb = [<<X\nin a list\nX\n, 2]\n",
	"a = <<EOT\n${x}EOT\nEOT\n",
	"a = <<EOT\n$${x} %%{y} $ %\nEOT  \n# c\n",
	"a = <<EOT\n\u00e9 ${\"\u00e9\"}\nEOT\nb = \"\u00e9\"\n",
	"a = f(<<EOT\nx\nEOT\n)\n",
	"a = <<EOT\nno end\n",
	"a = <<EOT\nx\nEOT",
	"a = <<EOT x\nEOT\n",
	"a = <<EOT\n${ {a = 1}.a }\nEOT\n",
	"a = <<EOT\nouter ${<<IN\ninner\nIN\n} end\nEOT\n",
	"a = 1 /* c */\nb = /* c */ 2\n",
	"block {\n}\nblock \"l1\" \"l2\" {\n  a = 1\n}\nblock l1 {}\n",
	"outer {\n  inner \"x\" {\n    deep {\n      v = [\"a\"]\n    }\n  }\n}\n",
	"b { a = 1 }\n",
	"b {\n  a = 1\n} # after\nc {} // x",
	"b { # comment\n  a = 1\n}\n",
	"b {\n",
	"a = 1\na = 2\n",
	"a = [1,\n2\n# c\n]\n",
	"a = (1)\nb = !x\nc = x[\"k\"]\nd = x.*.y\n",
	"a = 1 2\n",
	"a == 1\n",
	"a = \"unterminated\n",
	"a\n= 1\n",
	"b \"l\"\n{\n}\n",
	"a = {\n  k = 1\n  l = [1, 2]\n}\n",
	"a = f(g(h(1)), [x.y], \"s\")\n",
	"a = x-y\nb = x - y\n",
	"a = 1\r\n",
	"a = \"tab\there\"\n",
	"a = \"\u00e9\"\n",
	"a = 1}\n",
	"}\n",
	"a = [1 2]\n",
	"a = [,]\n",
	"a = f(,)\n",
	"a = \"x\"\"y\"\n",
	"a=1\nb=[x,y]\nc=f(x)\n",
	"when \"x\" {\n  cond = config.bench.m3.enable\n}\n",
	"a = \"caf\u00e9 \u2192 \u2026\" # \u00e9\nb = [\"\u00e9\", 1]\n",
	"a = \"cafe\u0301\"\nb = \"\U0001F469\u200D\U0001F4BB x\"\nc = \"\u0301\"\n",
	"users \"j\u00fcrgen\" {\n  d = \"\u00e9\"\n}\n",
	"a = f(\"\u00e9\") # \u00e9",
	"a = 1 # \u00e9",
	"a = [\"\u00e9\", x + 1]\n",
	"a = \"\u00e9${x}\"\n",
	"\u00e9 = 1\n",
	"a = \"\xff\"\n",
	"a = 1 /* \u00e9 */\n",
	"a = {}\nb = { a = 1, b = \"x\" }\nc = {\n  a = 1 # c\n  \"b\" = [1,\n 2]\n\n  c: f(x),\n  d = {e = {}}\n}\n",
	"a = {a = 1 b = 2}\nb = {a = 1\n,b = 2}\nc = {for = 1}\nd = {for k, v in x : k => v}\ne = {(k) = 1}\nf = {a.b = 1}\n",
	"a = {\n  a =\n  1\n}\nb = {a = 1 +\n 2}\nc = {a == 1}\nd = {a = 1 // c\n}\ne = { a = 1 /* c */ }\n",
	"d = {for k, v in x : k => v}\n",
	"a = \"l1\\nl2\\tt\\r\\\"q\\\" \\\\ end\\n\"\nb = \"$HOME 100% $ %\"\nc = \"$\"\nd = \"%\"\ne = \"\\n\"\n",
	"a = \"\\u00e9\"\nb = \"\\x\"\nc = \"$${x}\"\nd = \"%%{x}\"\ne = \"$$x\"\nf = \"$$$${x}\"\n",
	"a = \"caf\u00e9\\n \u2192\" # c\nb = [\"\\\"\", \"\u00e9\\t\"]\n",
	"a = \"end\\\\\"\nb = \"\\\"\"\n",
	"users \"a\\nb\" {\n}\n",
	"e = {(k) = 1}\n",
	"f = {a.b = 1, \"q\" = 2, 3 = 4}\n",
	"g = {a = 1 // c\n}\n",
	"a = {\n  x = {\n    type = null_or(str)\n    description = \"d \u2192 e\"\n  }\n}\n",
}

// fastExprCases are expressions the full expression parser
// (fastparse_expr.go) must read itself, to hclsyntax's tree: each is
// the value of an attribute.
var fastExprCases = []string{
	// Heredocs (fastparse_heredoc.go).
	"<<EOT\nx\nEOT",
	"<<EOT\nEOT",
	"<<-EOT\nEOT",
	"<<-EOT\n    EOT",
	"<<EOT\n  a\n    b\n\n  EOT  ",
	"<<-EOT\n    a\n      b\n\n     \n  c\n    EOT",
	"<<-EOT\n    a ${x} b\n      ${y}\n    EOT",
	"<<-EOT\n  ${x}\n    a\n  EOT",
	"<<-EOT\n    ${x}\n  EOT",
	"<<-EOT\n  ${x}${y}\n\n  EOT",
	"<<-EOT\n  a ${x +\n 1} b\n  EOT\n",
	"<<-SH\n  k=$${s##*/} $x %y 100%% $$ %%{z}\n    $\n  %\n  SH",
	"<<EOT\n  EOTX\n  xEOT\n EOT x\n  EOT",
	"<<EOT_1-a\nEOT\nEOT_1-a",
	"[<<EOT\nx\nEOT\n, <<-EOT\n  y\n  EOT\n]",
	"f(<<EOT\nx\nEOT\n)",
	"(x ? <<EOT\na\nEOT\n: \"b\")",
	"{ a = <<EOT\nx\nEOT\n}",
	"a || b && c == d != e < f <= g > h >= i + j - k * l / m % n",
	"a * b + c * d - e / f",
	"a - b - c + d",
	"!a && !b || -c > -1",
	"!!a",
	"- 1",
	"-x.y[0]",
	"(a + b) * c",
	"( a\n  + b\n)",
	"a ? b : c",
	"a ? b ? c : d : e ? f : g",
	"a == null ? \"x\" : a",
	"f(a, b...)",
	"f(a, b,)",
	"f (\n  a, # c\n  b // d\n)",
	"f(x)[0].y",
	"f()",
	"[1, 2][0]",
	"x[\"k\"].y[1]",
	"x[k]",
	"x[k][\"l\"].m[n + 1]",
	"x[-1]",
	"x[true]",
	"x[null]",
	"x [ 0 ]",
	"x . y",
	"x.y-z",
	"x-1",
	"1-2",
	"{ a = 1 }.a",
	"(x).y",
	"\"a\".b",
	"\"${x}\"",
	"\"${x}${y}\"",
	"\"a${x}b${y}c\"",
	"\"${ x + 1 }/${f(\"${y}\")}\"",
	"\"esc \\\" \\n ${x} \\t\\\\\"",
	"\"$HOME ${x} 100%\"",
	"\"%${g} $%${h}\"",
	"\"caf\u00e9 ${x} \u2192\"",
	"\"${\n  x\n}\"",
	"[for x in y : x]",
	"[for i, x in y : x if i > 0]",
	"{for k, v in y : k => v}",
	"{for k, v in y : k => v...}",
	"{ for k, v in y : k => v if v != null }",
	"[\n  for x in y : x\n  if x\n]",
	"{\n  for k, v in y :\n  k => {\n    a = v\n    b = [for z in v : z]\n  }\n}",
	"[for x in [for y in z : y] : x]",
	"[for x in y : x ? 1 : 2]",
	"{\n  a = 1 + 2\n  b = x ? 1 : 2, c = f(\n    1\n  )\n  # comment\n  (d) = 3\n  \"e\" = [\n    1, # c\n    2\n  ]\n}",
	"{ a = { b = { c = \"${d}\" } } }",
	"{ a: 1, b: 2 }",
	"{}",
	"[]",
	"[\n]",
	"[\n  1,\n  x + 1, # c\n  // d\n]",
	"merge(\n  {\n    a = 1\n  },\n  { for k in x : k => 1 },\n)",
	"length([for c in x : c if c.a != null && !can(regex(\"^https?://\", coalesce(c.u, \"\")))]) == 0",
	"a == null || (\n    f(a) &&\n    b <= 253\n  )",
	"x # comment",
	"x // comment",
	"1.5 + 2",
	"for",
	"in",
}

// fastExprRefused are expressions the full expression parser hands on
// (hclsyntax reads them, or refuses them, itself).
var fastExprRefused = []string{
	"x[*].y",
	"x.*.y",
	"x.0",
	"1e3",
	"ns::f(1)",
	"\"${~x}\"",
	"\"${x~}\"",
	"\"%{if x}y%{endif}\"",
	"\"$${x}\"",
	"<<EOT\n%{if x}y%{endif}\nEOT",
	"<<EOT\n%%{~x}\nEOT",
	"<<-EOT\n  ${~x}\n  EOT",
	"<<EOT\n${x~}\nEOT",
	"<<EOT\ncaf\u00e9\nEOT",
	"\"${<<EOT\nx\nEOT\n}\"",
	"<<EOT\n${<<-IN\n  x\n  IN\n}\nEOT",
	"<<EOT \nx\nEOT\n",
	"<< EOT\nx\nEOT\n",
	"a /* c */ + b",
	"[for x in y : k => x]",
	"{for x in y : x}",
	"[for x in y : x...]",
	"{ for = 1 }",
	"a +\n b",
	"{ a = 1 +\n 2 }",
	"\"\\u00e9\"",
	"\"$\u0301\"", // hclsyntax counts the mark after the $ as a character of its own
	"\"x %\u0301 y\"",
	"a & b",
	"a => b",
	"x[",
	"(",
	"\"${x\"",
}

// TestParseFastExpr checks that the full expression parser reads each
// of fastExprCases, to hclsyntax's tree (ranges included), and hands on
// each of fastExprRefused.
func TestParseFastExpr(t *testing.T) {
	for _, c := range fastExprCases {
		src := "a = " + c + "\n"
		p := &fastParser{src: []byte(src), file: "x.hcl", line: 1, i: len("a = "), lineStart: 0, nodes: &parseNodes{}}
		expr, ok := p.pExpr(true)
		p.skipSpaces()
		if !ok || p.fail || !p.endsAttribute() {
			t.Errorf("%q: the expression parser did not read it", c)
			continue
		}
		file, diags := hclsyntax.ParseConfig([]byte(src), "x.hcl", hcl.InitialPos)
		if diags.HasErrors() {
			t.Errorf("%q: hclsyntax refuses it: %s", c, diags.Error())
			continue
		}
		expr, wrapped := unwrapExpr(expr)
		want := file.Body.(*hclsyntax.Body).Attributes["a"].Expr
		if n := countFor(want); wrapped != n {
			t.Errorf("%q: %d for-expressions made forexpr.Expr, want %d", c, wrapped, n)
		}
		got := struct{ E hclsyntax.Expression }{expr}
		wantHolder := struct{ E hclsyntax.Expression }{want}
		compactStrings(&got)
		compactStrings(&wantHolder)
		if !reflect.DeepEqual(got.E, wantHolder.E) {
			t.Errorf("%q: tree differs:\n got %#v\nwant %#v", c, got.E, wantHolder.E)
		}
		sameAsHCL(t, "x.hcl", []byte(src))
	}
	for _, c := range fastExprRefused {
		src := "a = " + c + "\n"
		p := &fastParser{src: []byte(src), file: "x.hcl", line: 1, i: len("a = "), lineStart: 0, nodes: &parseNodes{}}
		if _, ok := p.pExpr(true); ok {
			p.skipSpaces()
			if p.endsAttribute() {
				t.Errorf("%q: the expression parser read it", c)
			}
		}
		sameAsHCL(t, "x.hcl", []byte(src))
	}
}

// TestParseFastBuiltinsExprs checks that the built-in modules are
// parsed by parseFast, every expression by its own parser: hclsyntax is
// asked for none of them (their heredocs included).
func TestParseFastBuiltinsExprs(t *testing.T) {
	err := filepath.WalkDir(filepath.Join("..", "builtin", "hcl"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(p, ".hcl") {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		body, _, ok := parseFast(src, p, nil)
		if !ok {
			t.Errorf("%s: parseFast did not take it", p)
			return nil
		}
		eachAttr(body, func(a *syntax.Attribute) {
			p := &fastParser{src: src, file: p, line: a.Expr.Range().Start.Line, i: a.Expr.Range().Start.Byte, nodes: &parseNodes{}}
			p.lineStart = p.i - (a.Expr.Range().Start.Column - 1)
			if _, ok := p.pExpr(true); !ok {
				t.Errorf("%s: %s: the expression parser did not read it", a.Expr.Range(), a.Name)
			}
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// FuzzParseFast checks that on any input parseFast gives hclsyntax's
// tree or hands the file on. Its seeds are the cases above, the
// built-in modules and the examples' modules.
func FuzzParseFast(f *testing.F) {
	for _, c := range append(fastParseCases, fastTabCases...) {
		f.Add([]byte(c))
	}
	for _, c := range fastExprCases {
		f.Add([]byte("a = " + c + "\n"))
	}
	for _, c := range fastExprRefused {
		f.Add([]byte("a = " + c + "\n"))
	}
	for _, dir := range []string{filepath.Join("..", "builtin", "hcl"), filepath.Join("..", "..", "examples")} {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !strings.HasSuffix(p, ".hcl") {
				return err
			}
			src, err := os.ReadFile(p)
			if err == nil {
				f.Add(src)
			}
			return err
		})
		if err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if checkNesting(src, "fuzz.hcl") != nil {
			return
		}
		sameAsHCL(t, "fuzz.hcl", src)
	})
}

// TestParseFastAttributeSetTwice: a body that sets an attribute twice
// is left to hclsyntax (which reports it), short bodies and long ones
// alike (a long one's names are looked up in a map: see newName).
func TestParseFastAttributeSetTwice(t *testing.T) {
	for _, n := range []int{2, longAttrs - 1, longAttrs, longAttrs + 1, 3 * longAttrs} {
		for _, inBlock := range []bool{false, true} {
			var b strings.Builder
			if inBlock {
				b.WriteString("x {\n")
			}
			for i := range n {
				fmt.Fprintf(&b, "a%d = %d\n", i, i)
			}
			if inBlock {
				b.WriteString("}\n")
			}
			once := b.String()
			if _, _, ok := parseFast([]byte(once), "t.hcl", nil); !ok {
				t.Fatalf("%d attributes (in a block: %v), each once: parseFast did not take them", n, inBlock)
			}
			sameAsHCL(t, "t.hcl", []byte(once))
			d := (n - 1) / 2 // the last attribute is named as this one
			twice := strings.Replace(once, fmt.Sprintf("a%d = %d\n", n-1, n-1), fmt.Sprintf("a%d = %d\n", d, n-1), 1)
			if _, _, ok := parseFast([]byte(twice), "t.hcl", nil); ok {
				t.Errorf("%d attributes (in a block: %v), a%d set twice: parseFast took it", n, inBlock, d)
			}
			if _, diags := hclsyntax.ParseConfig([]byte(twice), "t.hcl", hcl.InitialPos); !diags.HasErrors() {
				t.Errorf("%d attributes, a%d set twice: hclsyntax reports nothing", n, d)
			}
		}
	}
}

// TestParseFastSharesSource: names, labels and plain strings are the
// source's own bytes (fastParser.text), not copies; a string with an
// escape is made anew.
func TestParseFastSharesSource(t *testing.T) {
	src := []byte("users \"alice\" {\n  shell = \"/bin/zsh\"\n  home  = var.h\n  note  = \"a\\tb\"\n}\n")
	body, _, ok := parseFast(src, "t.hcl", nil)
	if !ok {
		t.Fatal("parseFast did not take it")
	}
	inSrc := func(s string) bool {
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		lo := uintptr(unsafe.Pointer(unsafe.SliceData(src)))
		return len(s) > 0 && p >= lo && p+uintptr(len(s)) <= lo+uintptr(len(src))
	}
	b := body.Blocks[0]
	shell := b.Body.Attr("shell")
	home := b.Body.Attr("home")
	note := b.Body.Attr("note")
	if shell == nil || home == nil || note == nil {
		t.Fatalf("attributes missing: %+v", b.Body.Attrs)
	}
	root := home.Expr.(*hclsyntax.ScopeTraversalExpr).Traversal.RootName()
	shared := map[string]string{
		"block type":     b.Type,
		"label":          b.Labels[0],
		"attribute name": shell.Name,
		"string":         shell.Expr.(*hclsyntax.LiteralValueExpr).Val.AsString(),
		"variable":       root,
	}
	for what, s := range shared {
		if !inSrc(s) {
			t.Errorf("%s %q is a copy, not the source's bytes", what, s)
		}
	}
	if s := note.Expr.(*hclsyntax.LiteralValueExpr).Val.AsString(); s != "a\tb" || inSrc(s) {
		t.Errorf("escaped string %q: want \"a\\tb\", made anew", s)
	}
}
