package funcs

import (
	"fmt"
	"strings"
	"testing"
)

// TestTerraformFuncs: the functions added with Terraform's meaning give
// the results its documentation gives, edge cases included.
func TestTerraformFuncs(t *testing.T) {
	checkFuncCases(t, []funcCase{
		{src: `startswith("hello world", "hello")`, want: `true`},
		{src: `startswith("hello world", "world")`, want: `false`},
		{src: `startswith("x", "")`, want: `true`},
		{src: `endswith("hello world", "world")`, want: `true`},
		{src: `endswith("hello world", "hello")`, want: `false`},
		{src: `strcontains("hello world", "o w")`, want: `true`},
		{src: `strcontains("hello world", "O")`, want: `false`},
		{src: `startswith(null, "a")`, err: `must not be null`},

		{src: `alltrue(["true", true])`, want: `true`},
		{src: `alltrue([true, false])`, want: `false`},
		{src: `alltrue([])`, want: `true`},
		{src: `alltrue([true, null])`, want: `false`},
		{src: `alltrue(tolist([true]))`, want: `true`},
		{src: `alltrue([true, 1])`, err: `element 1: bool required`},
		{src: `alltrue("true")`, err: `alltrue() takes a list, set or tuple, not string`},
		{src: `anytrue(["true"])`, want: `true`},
		{src: `anytrue([true, false])`, want: `true`},
		{src: `anytrue([])`, want: `false`},
		{src: `anytrue([null, false])`, want: `false`},
		{src: `anytrue(toset([false]))`, want: `false`},

		{src: `one([])`, want: `null`},
		{src: `one(["a"])`, want: `"a"`},
		{src: `one(tolist([]))`, want: `null`},
		{src: `one(toset([3]))`, want: `3`},
		{src: `one(["a", "b"])`, err: `zero or one elements, not 2 elements`},
		{src: `one(tolist(["a", "b"]))`, err: `zero or one elements, not 2 elements`},
		{src: `one({})`, err: `zero or one elements, not object`},

		{src: `sum([10, 13, 6, 4.5])`, want: `33.5`},
		{src: `sum(["1", 2])`, want: `3`},
		{src: `sum(toset([1, 2]))`, want: `3`},
		{src: `sum([])`, err: `cannot sum an empty list`},
		{src: `sum([1, null])`, err: `element 1 is null`},
		{src: `sum([1, "x"])`, err: `element 1: `},
		{src: `sum(1)`, err: `sum() takes a list, set or tuple, not number`},

		{src: `index(["a", "b", "c"], "b")`, want: `1`},
		{src: `index(["one", "two", "two"], "two")`, want: `1`},
		{src: `index(tolist([1, 2]), 2)`, want: `1`},
		{src: `index([{a = 1}], {a = 1})`, want: `0`},
		{src: `index(["a"], "z")`, err: `"z" is not an element of the list`},
		{src: `index([], "z")`, err: `"z" is not an element of the list`},
		{src: `index(["1"], 1)`, err: `1 is not an element`},
		{src: `index({a = 1}, "a")`, err: `index() takes a list or tuple, not object`},

		{src: `base64encode("Hello World")`, want: `"SGVsbG8gV29ybGQ="`},
		{src: `base64encode("☃")`, want: `"4piD"`},
		{src: `base64encode("")`, want: `""`},
		{src: `base64decode("SGVsbG8gV29ybGQ=")`, want: `"Hello World"`},
		{src: `base64decode("4piD")`, want: `"☃"`},
		{src: `base64decode("SGVsbG8@")`, err: `not Base64 (RFC 4648, standard alphabet): a bad character or end at byte 7`},
		{src: `base64decode("SGVsbG8")`, err: `not Base64`},
		{src: `base64decode("/w==")`, err: `not UTF-8 text`},

		{src: `md5("hello world")`, want: `"5eb63bbbe01eeed093cb22bb8f5acdc3"`},
		{src: `sha1("hello world")`, want: `"2aae6c35c94fcfb415dbe95f408b9ce91ee846ed"`},
		{src: `sha256("hello world")`, want: `"b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"`},
		{src: `sha256("")`, want: `"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"`},

		{src: `urlencode("Hello World!")`, want: `"Hello+World%21"`},
		{src: `urlencode("☃")`, want: `"%E2%98%83"`},
		{src: `urlencode("a=b&c/d?e")`, want: `"a%3Db%26c%2Fd%3Fe"`},
		{src: `urlencode("-_.~")`, want: `"-_.~"`},
	})
}

// TestTerraformFuncsLinear: the functions of a list take a list literal
// of 50,000 elements (a tuple) in about a second, mostly parsing it;
// declared as list(bool) or list(number) they took minutes (doc.go).
func TestTerraformFuncsLinear(t *testing.T) {
	const n = 50000
	list := func(elem string) string {
		return "[" + strings.Repeat(elem+",", n) + "]"
	}
	for src, want := range map[string]string{
		"alltrue(" + list("true") + ")":   "true",
		"anytrue(" + list("false") + ")":  "false",
		"sum(" + list("1") + ")":          fmt.Sprint(n),
		"index(" + list(`"a"`) + `, "b")`: "",
	} {
		got, _ := evalBase(t, src)
		if got != want {
			t.Errorf("%.30s...: %s, want %s", src, got, want)
		}
	}
}
