package funcs

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// regexPairs is each of our functions with the go-cty one it replaces.
var regexPairs = map[string][2]function.Function{
	"regex":         {regexFunc, stdlib.RegexFunc},
	"regexall":      {regexAllFunc, stdlib.RegexAllFunc},
	"regex_replace": {regexReplaceFunc, stdlib.RegexReplaceFunc},
}

// sameError fails the test unless ours and theirs are both nil, or
// errors of one Go type and message that are both argument errors for
// the same argument or both not.
func sameError(t *testing.T, what string, ours, theirs error) {
	t.Helper()
	if (ours == nil) != (theirs == nil) {
		t.Errorf("%s: error %v, go-cty's %v", what, ours, theirs)
		return
	}
	if ours == nil {
		return
	}
	if ours.Error() != theirs.Error() {
		t.Errorf("%s: error %q, go-cty's %q", what, ours, theirs)
	}
	if o, g := fmt.Sprintf("%T", ours), fmt.Sprintf("%T", theirs); o != g {
		t.Errorf("%s: error of type %s, go-cty's %s", what, o, g)
	}
	var oa, ta function.ArgError
	oIsArg, tIsArg := errors.As(ours, &oa), errors.As(theirs, &ta)
	switch {
	case oIsArg != tIsArg:
		t.Errorf("%s: argument error %v, go-cty's %v", what, oIsArg, tIsArg)
	case oIsArg && oa.Index != ta.Index:
		t.Errorf("%s: error on argument %d, go-cty's on %d", what, oa.Index, ta.Index)
	}
}

// sameType fails the test unless ours and theirs are equal types (both
// NilType included).
func sameType(t *testing.T, what string, ours, theirs cty.Type) {
	t.Helper()
	if !ours.Equals(theirs) {
		t.Errorf("%s: type %#v, go-cty's %#v", what, ours, theirs)
	}
}

// TestRegexAsGoCty: for the same arguments our functions return go-cty's
// types, values (marks and refinements of unknowns included) and errors,
// from a pattern compiled now and from the cache.
func TestRegexAsGoCty(t *testing.T) {
	s := cty.StringVal
	unknown := cty.UnknownVal(cty.String)
	tests := []struct {
		fn   string
		args []cty.Value
	}{
		// regex: no groups.
		{"regex", []cty.Value{s(`^[A-Za-z_][A-Za-z0-9_]*$`), s("alice_1")}},
		{"regex", []cty.Value{s(`^[A-Za-z_][A-Za-z0-9_]*$`), s("1alice")}},
		{"regex", []cty.Value{s(`[a-z]+`), s("123abc456def")}},
		{"regex", []cty.Value{s(``), s("abc")}},
		{"regex", []cty.Value{s(`é+`), s("cafée\u0301")}},
		{"regex", []cty.Value{s(`(?i)^(?:c|posix)[ ./]`), s("C.UTF-8")}},
		// regex: named groups.
		{"regex", []cty.Value{s(`(?P<user>[a-z]+)@(?P<host>[a-z.]+)`), s("mail alice@example.org now")}},
		{"regex", []cty.Value{s(`(?<user>[a-z]+)@(?<host>[a-z.]+)`), s("bob@example.net")}},
		{"regex", []cty.Value{s(`(?P<x>a)|(?P<y>b)`), s("b")}},
		{"regex", []cty.Value{s(`(?P<a>x)(?P<a>y)`), s("xy")}},
		{"regex", []cty.Value{s(`(?P<user>[a-z]+)@`), s("nobody")}},
		// regex: unnamed groups.
		{"regex", []cty.Value{s(`(\d+)-(\d+)`), s("from 10-20")}},
		{"regex", []cty.Value{s(`(a)|(b)`), s("b")}},
		{"regex", []cty.Value{s(`(?:a)(b)?`), s("a")}},
		{"regex", []cty.Value{s(`((a)(b))`), s("ab")}},
		// regex: refused patterns.
		{"regex", []cty.Value{s(`(?P<a>x)(y)`), s("xy")}},
		{"regex", []cty.Value{s(`(`), s("(")}},
		{"regex", []cty.Value{s(`a**`), s("a")}},
		{"regex", []cty.Value{s(`x{1001}`), s("x")}},
		{"regex", []cty.Value{s(`(?P<1a>x)`), s("x")}},
		{"regex", []cty.Value{s(`[z-a]`), s("x")}},
		{"regex", []cty.Value{s(`\8`), s("x")}},
		// regex: unknown, null, wrongly typed and marked arguments.
		{"regex", []cty.Value{unknown, s("x")}},
		{"regex", []cty.Value{cty.DynamicVal, s("x")}},
		{"regex", []cty.Value{s(`x`), unknown}},
		{"regex", []cty.Value{s(`(x)`), unknown}},
		{"regex", []cty.Value{s(`(?P<n>x)`), unknown.RefineNotNull()}},
		{"regex", []cty.Value{s(`(`), unknown}},
		{"regex", []cty.Value{unknown, unknown}},
		{"regex", []cty.Value{cty.NullVal(cty.String), s("x")}},
		{"regex", []cty.Value{s("x"), cty.NullVal(cty.String)}},
		{"regex", []cty.Value{s("1"), cty.NumberIntVal(1)}},
		{"regex", []cty.Value{cty.True, s("x")}},
		{"regex", []cty.Value{s("x")}},
		{"regex", []cty.Value{s(`(\w+)`), s("word").Mark("secret")}},
		{"regex", []cty.Value{s(`(?P<w>\w+)`).Mark("a"), s("word").Mark("b")}},
		{"regex", []cty.Value{s(`\d`).Mark("a"), s("word")}},
		{"regex", []cty.Value{s(`(`).Mark("a"), s("word")}},
		{"regex", []cty.Value{unknown.Mark("a"), s("word").Mark("b")}},
		{"regex", []cty.Value{s(`x`), unknown.Mark("b")}},
		// regexall.
		{"regexall", []cty.Value{s(`\d+`), s("a1b22c333")}},
		{"regexall", []cty.Value{s(`\d+`), s("abc")}},
		{"regexall", []cty.Value{s(``), s("abc")}},
		{"regexall", []cty.Value{s(`\{`), s("{ a { b } }")}},
		{"regexall", []cty.Value{s(`(\w)=(\d)`), s("a=1 b=2 c=x")}},
		{"regexall", []cty.Value{s(`(\w)=(\d)`), s("none")}},
		{"regexall", []cty.Value{s(`(?P<k>\w+)=(?P<v>\w*)`), s("a=1 b= c=3")}},
		{"regexall", []cty.Value{s(`(?P<k>\w+)=(?P<v>\w*)`), s("")}},
		{"regexall", []cty.Value{s(`(a)|(b)`), s("ab")}},
		{"regexall", []cty.Value{s(`(?P<k>\w+)=(\w*)`), s("a=1")}},
		{"regexall", []cty.Value{s(`[`), s("[")}},
		{"regexall", []cty.Value{unknown, s("x")}},
		{"regexall", []cty.Value{s(`x`), unknown}},
		{"regexall", []cty.Value{s(`(?P<k>x)`), unknown}},
		{"regexall", []cty.Value{s(`(`), unknown}},
		{"regexall", []cty.Value{cty.NullVal(cty.String), s("x")}},
		{"regexall", []cty.Value{s(`\w`).Mark("a"), s("ab").Mark("b")}},
		{"regexall", []cty.Value{s(`\d`), s("ab").Mark("b")}},
		// regex_replace.
		{"regex_replace", []cty.Value{s("hello world"), s(`o`), s("0")}},
		{"regex_replace", []cty.Value{s("john smith"), s(`(\w+) (\w+)`), s("$2 $1")}},
		{"regex_replace", []cty.Value{s("john smith"), s(`(?P<first>\w+) (?P<last>\w+)`), s("${last}, ${first}")}},
		{"regex_replace", []cty.Value{s("a1b2"), s(`(\d)`), s("$1x")}},
		{"regex_replace", []cty.Value{s("a1b2"), s(`(\d)`), s("${1}x")}},
		{"regex_replace", []cty.Value{s("a1b2"), s(`(\d)`), s("$$1")}},
		{"regex_replace", []cty.Value{s("a1b2"), s(`(\d)`), s("$9")}},
		{"regex_replace", []cty.Value{s("en_US.utf8"), s(`(?i)\.utf-?8`), s(".UTF-8")}},
		{"regex_replace", []cty.Value{s("abc"), s(`x*`), s("-")}},
		{"regex_replace", []cty.Value{s("abc"), s(`z`), s("-")}},
		{"regex_replace", []cty.Value{s("xy"), s(`(?P<a>x)(y)`), s("$a$2")}},
		{"regex_replace", []cty.Value{s("abc"), s(`(`), s("-")}},
		{"regex_replace", []cty.Value{s("abc"), s(`a**`), s("-")}},
		{"regex_replace", []cty.Value{s("abc"), unknown, s("-")}},
		{"regex_replace", []cty.Value{unknown, s(`a`), s("-")}},
		{"regex_replace", []cty.Value{s("abc"), s(`(`), unknown}},
		{"regex_replace", []cty.Value{s("abc"), cty.NullVal(cty.String), s("-")}},
		{"regex_replace", []cty.Value{s("abc").Mark("a"), s(`b`), s("-").Mark("c")}},
		{"regex_replace", []cty.Value{s("abc"), s(`b`).Mark("b"), s("-")}},
		{"regex_replace", []cty.Value{unknown.Mark("a"), s(`b`), s("-")}},
		{"regex_replace", []cty.Value{s("abc"), s(`b`)}},
	}
	for _, tt := range tests {
		pair := regexPairs[tt.fn]
		what := fmt.Sprintf("%s(%#v)", tt.fn, tt.args)
		wantTy, wantTyErr := pair[1].ReturnTypeForValues(tt.args)
		want, wantErr := pair[1].Call(tt.args)
		for _, round := range []string{"compiled", "cached"} {
			what := what + " " + round
			ty, tyErr := pair[0].ReturnTypeForValues(tt.args)
			sameType(t, what+" type", ty, wantTy)
			sameError(t, what+" type", tyErr, wantTyErr)
			got, err := pair[0].Call(tt.args)
			sameError(t, what, err, wantErr)
			if !got.RawEquals(want) {
				t.Errorf("%s = %#v, go-cty's %#v", what, got, want)
			}
		}
	}
}

// TestRegexSignaturesAsGoCty: the functions describe themselves as
// go-cty's do.
func TestRegexSignaturesAsGoCty(t *testing.T) {
	for name, pair := range regexPairs {
		ours, theirs := pair[0], pair[1]
		if ours.Description() != theirs.Description() {
			t.Errorf("%s: description %q, go-cty's %q", name, ours.Description(), theirs.Description())
		}
		if (ours.VarParam() == nil) != (theirs.VarParam() == nil) {
			t.Errorf("%s: varparam %v, go-cty's %v", name, ours.VarParam(), theirs.VarParam())
		}
		op, tp := ours.Params(), theirs.Params()
		if len(op) != len(tp) {
			t.Errorf("%s: %d parameters, go-cty's %d", name, len(op), len(tp))
			continue
		}
		for i := range op {
			o, g := op[i], tp[i]
			if o.Name != g.Name || !o.Type.Equals(g.Type) || o.AllowNull != g.AllowNull || o.AllowUnknown != g.AllowUnknown ||
				o.AllowDynamicType != g.AllowDynamicType || o.AllowMarked != g.AllowMarked {
				t.Errorf("%s: parameter %d is %#v, go-cty's %#v", name, i, o, g)
			}
		}
		argTys := make([]cty.Type, len(op))
		for i := range argTys {
			argTys[i] = cty.String
		}
		ty, err := ours.ReturnType(argTys)
		wantTy, wantErr := theirs.ReturnType(argTys)
		sameType(t, name+" ReturnType", ty, wantTy)
		sameError(t, name+" ReturnType", err, wantErr)
	}
}

// TestRegexInHCLAsGoCty: in module expressions (where HCL converts the
// arguments and turns errors into diagnostics) the values and
// diagnostics are go-cty's.
func TestRegexInHCLAsGoCty(t *testing.T) {
	vars := map[string]cty.Value{
		"users":  cty.ObjectVal(map[string]cty.Value{"alice": cty.True, "9bob": cty.True, "carol-x": cty.True}),
		"secret": cty.StringVal("hunter2").Mark("sensitive"),
		"later":  cty.UnknownVal(cty.String),
	}
	funcs := func(i int) map[string]function.Function {
		f := map[string]function.Function{"can": tryfunc.CanFunc, "try": tryfunc.TryFunc}
		for name, pair := range regexPairs {
			f[name] = pair[i]
		}
		return f
	}
	tests := []string{
		`[for k, v in users : k if !can(regex("^[A-Za-z_][A-Za-z0-9_]*$", k))]`,
		`regex("^(?P<name>[a-z]+)-(?P<suffix>[a-z]+)$", "carol-x")`,
		`regex("([0-9]+)", 42)`,
		`regex("x", "y")`,
		`regex("(", "y")`,
		`regex("(?P<a>x)(y)", "xy")`,
		`regex(1, "y")`,
		`regex(null, "y")`,
		`regex("x", [])`,
		`regex("[a-z]+", secret)`,
		`regex(later, "x")`,
		`regex("(x)", later)`,
		`try(regex("x", "y"), "fallback")`,
		`length(regexall("\\{", "{ { } }"))`,
		`regexall("(?P<k>\\w+)=(?P<v>\\w+)", "a=1 b=2")`,
		`regexall("[", "x")`,
		`regex_replace("en_US.utf-8", "(?i)\\.utf-?8", ".UTF-8")`,
		`regex_replace("john smith", "(?P<first>\\w+) (?P<last>\\w+)", "$${last} $first")`,
		`regex_replace("x", "(", "y")`,
		`regex_replace(secret, "[0-9]", "#")`,
	}
	for _, src := range tests {
		expr, diags := hclsyntax.ParseExpression([]byte(src), "t.hcl", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", src, diags.Error())
		}
		var results [2]cty.Value
		var errs [2]string
		for i := range 2 {
			ctx := &hcl.EvalContext{Variables: vars, Functions: funcs(i)}
			v, diags := expr.Value(ctx)
			results[i], errs[i] = v, diags.Error()
		}
		if errs[0] != errs[1] {
			t.Errorf("%s: diagnostics %q, go-cty's %q", src, errs[0], errs[1])
		}
		if !results[0].RawEquals(results[1]) {
			t.Errorf("%s = %#v, go-cty's %#v", src, results[0], results[1])
		}
	}
}

// TestRegexCacheUsed: a pattern is compiled once and then comes from the
// process's cache, valid ones and refused ones alike.
func TestRegexCacheUsed(t *testing.T) {
	for _, pattern := range []string{`^cache-test-[a-z]+$`, `(cache-test`} {
		if _, err := regexFunc.Call([]cty.Value{cty.StringVal(pattern), cty.StringVal("cache-test-x")}); err != nil && pattern[0] == '^' {
			t.Fatal(err)
		}
		c, ok := regexes.m.Load(pattern)
		if !ok {
			t.Fatalf("%q not cached", pattern)
		}
		if regexes.get(pattern) != c.(*compiledRegex) {
			t.Errorf("%q compiled again", pattern)
		}
	}
}

// TestRegexCacheBounds: past its entry or byte bound the cache stops
// growing, and patterns are still compiled and match.
func TestRegexCacheBounds(t *testing.T) {
	rc := newRegexCache(4, 1<<20)
	for i := range 10 {
		pattern := fmt.Sprintf("^p%d$", i)
		c := rc.get(pattern)
		if c.re == nil || !c.re.MatchString(fmt.Sprintf("p%d", i)) {
			t.Fatalf("%q: compiled %v, %v", pattern, c.re, c.compileErr)
		}
		if i < 4 && rc.get(pattern) != c {
			t.Errorf("%q: not cached below the bound", pattern)
		}
	}
	if rc.entries != 4 {
		t.Errorf("%d entries, want 4", rc.entries)
	}
	n := 0
	rc.m.Range(func(any, any) bool { n++; return true })
	if n != 4 {
		t.Errorf("%d patterns in the map, want 4", n)
	}

	rc = newRegexCache(100, 64<<10)
	huge := strings.Repeat(`\pL{1000}`, 2) // small pattern, large program
	if c := rc.get(huge); c.re == nil {
		t.Fatalf("%q: %v", huge, c.compileErr)
	}
	if _, ok := rc.m.Load(huge); ok {
		t.Errorf("%q cached beyond the byte bound (%d bytes)", huge, regexSize(huge, compileRegex(huge)))
	}
	if rc.get(`^small$`); rc.entries != 1 || rc.bytes > rc.maxBytes {
		t.Errorf("small pattern: %d entries, %d bytes", rc.entries, rc.bytes)
	}
}

// TestRegexCacheConcurrent: goroutines sharing the cache (run with
// -race) get one compiledRegex per pattern and correct answers.
func TestRegexCacheConcurrent(t *testing.T) {
	rc := newRegexCache(8, 1<<20)
	patterns := make([]string, 16) // twice the bound
	for i := range patterns {
		patterns[i] = fmt.Sprintf("^(?P<n>c%d)$", i)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for round := range 50 {
				i := (g + round) % len(patterns)
				c := rc.get(patterns[i])
				if c.re == nil || !c.re.MatchString(fmt.Sprintf("c%d", i)) || !c.ty.IsObjectType() {
					t.Errorf("%q: %v %v %#v", patterns[i], c.re, c.compileErr, c.ty)
					return
				}
			}
		})
	}
	wg.Wait()
	if rc.entries != 8 {
		t.Errorf("%d entries, want 8", rc.entries)
	}
	rc.m.Range(func(k, v any) bool {
		if rc.get(k.(string)) != v.(*compiledRegex) {
			t.Errorf("%q: cache returned another entry", k)
		}
		return true
	})
}

// BenchmarkRegex is the cost of one call, go-cty's against ours from the
// cache, for the pattern the built-in modules check names with.
func BenchmarkRegex(b *testing.B) {
	cases := []struct {
		fn   string
		args []cty.Value
	}{
		{"regex", []cty.Value{cty.StringVal(`^[A-Za-z_][A-Za-z0-9_]*$`), cty.StringVal("alice_1")}},
		{"regex", []cty.Value{cty.StringVal(`^(?P<user>[a-z]+)@(?P<host>[a-z.]+)$`), cty.StringVal("alice@example.org")}},
		{"regexall", []cty.Value{cty.StringVal(`\{`), cty.StringVal("server { location / { } }")}},
		{"regex_replace", []cty.Value{cty.StringVal("en_US.utf8"), cty.StringVal(`(?i)\.utf-?8`), cty.StringVal(".UTF-8")}},
	}
	for ci, c := range cases {
		for i, impl := range []string{"cached", "go-cty"} {
			fn := regexPairs[c.fn][i]
			b.Run(fmt.Sprintf("%s%d/%s", c.fn, ci, impl), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := fn.Call(c.args); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
