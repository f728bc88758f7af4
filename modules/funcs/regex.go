package funcs

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"sync"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// regexFunc is go-cty's regex (same parameters, result types, errors and
// handling of unknown and marked values) with each pattern compiled once
// per process. go-cty's compiles the pattern twice per call, once to
// decide the result type and once to match: 5.9 µs and 87 allocations
// for ^[A-Za-z_][A-Za-z0-9_]*$, 4.7 µs of it compiling. The built-in
// modules call can(regex(...)) on every key of per-user maps, so a
// configuration with 1,000 users compiled the same few patterns
// thousands of times. From the cache that call costs 0.7 µs and 6
// allocations (BenchmarkRegex, where go-cty's makes 84), most of it
// go-cty's own argument handling and the match itself.
var regexFunc = function.New(&function.Spec{
	Description: "Applies the given regular expression pattern to the given string and returns information about a single match, or raises an error if there is no match.",
	Params: []function.Parameter{
		{Name: "pattern", Type: cty.String},
		{Name: "string", Type: cty.String},
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		if !args[0].IsKnown() {
			// The type depends on the pattern's groups.
			return cty.DynamicPseudoType, nil
		}
		c := regexes.get(args[0].AsString())
		if c.typeErr != nil {
			return cty.NilType, function.NewArgError(0, c.typeErr)
		}
		return c.ty, nil
	},
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		if retType == cty.DynamicPseudoType {
			return cty.DynamicVal, nil
		}
		c := regexes.get(args[0].AsString())
		if c.re == nil {
			// Type refused the pattern already; kept as go-cty has it.
			return cty.NilVal, function.NewArgErrorf(0, "error parsing pattern: %s", c.compileErr)
		}
		str := args[1].AsString()
		idxs := c.re.FindStringSubmatchIndex(str)
		if idxs == nil {
			return cty.NilVal, errNoMatch
		}
		return regexMatch(c.re, str, idxs, retType), nil
	},
})

// regexAllFunc is go-cty's regexall with the compiled pattern from the
// cache, for the reasons regexFunc gives: a list of every
// non-overlapping match, an empty list when there is none.
var regexAllFunc = function.New(&function.Spec{
	Description: "Applies the given regular expression pattern to the given string and returns a list of information about all non-overlapping matches, or an empty list if there are no matches.",
	Params: []function.Parameter{
		{Name: "pattern", Type: cty.String},
		{Name: "string", Type: cty.String},
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		if !args[0].IsKnown() {
			// A list whatever the pattern, of what depends on its groups.
			return cty.List(cty.DynamicPseudoType), nil
		}
		c := regexes.get(args[0].AsString())
		if c.typeErr != nil {
			// go-cty returns list(NilType) with the error; so do we.
			return c.listTy, function.NewArgError(0, c.typeErr)
		}
		return c.listTy, nil
	},
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		ety := retType.ElementType()
		if ety == cty.DynamicPseudoType {
			return cty.DynamicVal, nil
		}
		c := regexes.get(args[0].AsString())
		if c.re == nil {
			return cty.NilVal, function.NewArgErrorf(0, "error parsing pattern: %s", c.compileErr)
		}
		str := args[1].AsString()
		all := c.re.FindAllStringSubmatchIndex(str, -1)
		if len(all) == 0 {
			return cty.ListValEmpty(ety), nil
		}
		elems := make([]cty.Value, len(all))
		for i, idxs := range all {
			elems[i] = regexMatch(c.re, str, idxs, ety)
		}
		return cty.ListVal(elems), nil
	},
})

// regexReplaceFunc is go-cty's regex_replace (every match of pattern in
// str replaced by replace, which may refer to groups as $1 or ${name})
// with the compiled pattern from the cache, for the reasons regexFunc
// gives. Like go-cty's, it reports an invalid pattern with regexp's own
// error, not as an argument error.
var regexReplaceFunc = function.New(&function.Spec{
	Description: "Applies the given regular expression pattern to the given string and replaces all matches with the given replacement string.",
	Params: []function.Parameter{
		{Name: "str", Type: cty.String},
		{Name: "pattern", Type: cty.String},
		{Name: "replace", Type: cty.String},
	},
	Type:         function.StaticReturnType(cty.String),
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		c := regexes.get(args[1].AsString())
		if c.re == nil {
			return cty.UnknownVal(cty.String), c.compileErr
		}
		return cty.StringVal(c.re.ReplaceAllString(args[0].AsString(), args[2].AsString())), nil
	},
})

// errNoMatch is regex's error when the pattern matches nowhere in the
// string, go-cty's message; one value, since can(regex(...)) makes it
// on every call that answers false.
var errNoMatch = errors.New("pattern did not match any part of the given string")

// refineNotNull is the refinement go-cty gives the results of the three:
// never null, also while unknown.
func refineNotNull(b *cty.RefinementBuilder) *cty.RefinementBuilder { return b.NotNull() }

// regexMatch is one match as regex returns it, by its type: the matched
// text for a pattern without groups; otherwise the groups in a tuple, or
// in an object by name, null for a group inside one that did not take
// part in the match. With two groups of one name the later one wins, as
// in go-cty.
func regexMatch(re *regexp.Regexp, str string, idxs []int, ty cty.Type) cty.Value {
	switch {
	case ty == cty.String:
		return cty.StringVal(str[idxs[0]:idxs[1]])
	case ty.IsTupleType():
		groups := make([]cty.Value, len(idxs)/2-1)
		for i := range groups {
			groups[i] = regexGroup(str, idxs[2+2*i], idxs[3+2*i])
		}
		return cty.TupleVal(groups)
	case ty.IsObjectType():
		names := re.SubexpNames()[1:]
		groups := make(map[string]cty.Value, len(names))
		for i, name := range names {
			groups[name] = regexGroup(str, idxs[2+2*i], idxs[3+2*i])
		}
		return cty.ObjectVal(groups)
	}
	panic(fmt.Sprintf("invalid return type %#v", ty)) // as go-cty: the Type callbacks make no other
}

// regexGroup is the text of one group, null if it matched nothing.
func regexGroup(str string, start, end int) cty.Value {
	if start < 0 || end < 0 {
		return cty.NullVal(cty.String)
	}
	return cty.StringVal(str[start:end])
}

// compiledRegex is a pattern compiled, with what regex and regexall
// answer for it, so that a call from the cache does no other work.
type compiledRegex struct {
	re         *regexp.Regexp // nil when the pattern does not compile
	compileErr error          // regexp.Compile's error, as regex_replace reports it
	typeErr    error          // why regex and regexall refuse the pattern (they wrap it as an ArgError)
	ty         cty.Type       // regex's result type: string, tuple or object; NilType with typeErr
	listTy     cty.Type       // regexall's: list(ty)
}

// compileRegex compiles pattern and derives the result type as go-cty
// does: a string without capture groups, a tuple of strings with
// unnamed groups only, an object of strings with named groups only,
// and an error when the pattern mixes the two.
func compileRegex(pattern string) *compiledRegex {
	c := &compiledRegex{ty: cty.NilType}
	c.re, c.compileErr = regexp.Compile(pattern)
	if c.compileErr != nil {
		if serr, ok := c.compileErr.(*syntax.Error); ok {
			c.typeErr = fmt.Errorf("invalid regexp pattern: %s in %s", serr.Code, serr.Expr)
		} else {
			c.typeErr = fmt.Errorf("error parsing pattern: %s", c.compileErr)
		}
		c.listTy = cty.List(c.ty)
		return c
	}
	names := c.re.SubexpNames()[1:]
	named := 0
	for _, name := range names {
		if name != "" {
			named++
		}
	}
	switch {
	case len(names) == 0:
		c.ty = cty.String
	case named == 0:
		etys := make([]cty.Type, len(names))
		for i := range etys {
			etys[i] = cty.String
		}
		c.ty = cty.Tuple(etys)
	case named == len(names):
		atys := make(map[string]cty.Type, named)
		for _, name := range names {
			atys[name] = cty.String
		}
		c.ty = cty.Object(atys)
	default:
		c.typeErr = errors.New("invalid regexp pattern: cannot mix both named and unnamed capture groups")
	}
	c.listTy = cty.List(c.ty)
	return c
}

// regexes is the process's cache of compiled patterns.
var regexes = newRegexCache(1024, 8<<20)

// regexCache maps patterns to their compiledRegex, for every goroutine
// evaluating modules at once. It only grows, so that a lookup takes no
// lock, and is bounded, in entries and in an estimate of their bytes,
// because patterns can be computed: a module making millions of
// distinct patterns, or a few that compile to huge programs (a{1000}
// repeated), would otherwise keep them all. Past either bound a pattern
// not yet cached is compiled on every call, as go-cty does.
type regexCache struct {
	m          sync.Map // pattern → *compiledRegex
	maxEntries int
	maxBytes   int

	mu      sync.Mutex // guards the counts, taken only on a miss
	entries int
	bytes   int
}

func newRegexCache(maxEntries, maxBytes int) *regexCache {
	return &regexCache{maxEntries: maxEntries, maxBytes: maxBytes}
}

// get returns pattern compiled, from the cache or compiled now and
// added if it fits.
func (rc *regexCache) get(pattern string) *compiledRegex {
	if c, ok := rc.m.Load(pattern); ok {
		return c.(*compiledRegex)
	}
	c := compileRegex(pattern)
	rc.mu.Lock()
	full := rc.entries >= rc.maxEntries || rc.bytes >= rc.maxBytes
	rc.mu.Unlock()
	if full {
		return c
	}
	size := regexSize(pattern, c)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.entries >= rc.maxEntries || rc.bytes+size > rc.maxBytes {
		return c
	}
	if prev, loaded := rc.m.LoadOrStore(pattern, c); loaded {
		return prev.(*compiledRegex) // another goroutine added it meanwhile
	}
	rc.entries++
	rc.bytes += size
	return c
}

// Byte estimates for regexSize: a compiledRegex with its Regexp, types
// and map entry, and one instruction of a compiled program
// (syntax.Inst is 40 bytes on 64-bit platforms).
const (
	regexEntryBytes = 1024
	regexInstBytes  = 40
)

// regexSize estimates the bytes a cached pattern keeps: the key, the
// entry, and the program regexp compiled, twice over since a one-pass
// pattern keeps a second copy with its own rune tables. regexp does
// not expose its program, so the pattern is compiled again with
// regexp/syntax, once, when it is about to be cached.
func regexSize(pattern string, c *compiledRegex) int {
	size := len(pattern) + regexEntryBytes
	if c.re == nil {
		return size
	}
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return size
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return size
	}
	for _, inst := range prog.Inst {
		size += 2 * (regexInstBytes + 4*len(inst.Rune))
	}
	return size
}
