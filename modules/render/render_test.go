package render

import (
	"bytes"
	"encoding/base64"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/modules/plistval"
	"github.com/zclconf/go-cty/cty"
)

func sample() cty.Value {
	return cty.ObjectVal(map[string]cty.Value{
		"name":           cty.StringVal("a${b}%{c}\n"),
		"n":              cty.NumberIntVal(48),
		"f":              cty.NumberFloatVal(0.5),
		"com.apple.dock": cty.ObjectVal(map[string]cty.Value{"autohide-delay": plistval.RealVal(0)}),
		"list":           cty.TupleVal([]cty.Value{cty.True, cty.NullVal(cty.String)}),
		"empty":          cty.EmptyObjectVal,
		"when":           plistval.DateVal(mustTime("2024-01-02T03:04:05Z")),
		"blob":           plistval.DataVal([]byte("hi")),
	})
}

func TestAttributes(t *testing.T) {
	want := `blob = data("aGk=")
"com.apple.dock" = {
  autohide-delay = real(0.0)
}
empty = {}
f     = 0.5
list  = [true, null]
n     = 48
name  = "a$${b}%%{c}\n"
when  = date("2024-01-02T03:04:05Z")
`
	if got := Attributes(sample()); got != want {
		t.Errorf("Attributes =\n%s\nwant\n%s", got, want)
	}
}

func TestLongListsWrap(t *testing.T) {
	var elems []cty.Value
	for i := 0; i < 20; i++ {
		elems = append(elems, cty.StringVal("package-name"))
	}
	got := Block(cty.ListVal(elems), 0)
	if !strings.HasPrefix(got, "[\n  \"package-name\",\n") || !strings.HasSuffix(got, ",\n]") {
		t.Errorf("long list not wrapped:\n%s", got)
	}
	if got := Inline(cty.ListVal(elems), 30); len(got) != 30 || !strings.HasSuffix(got, "...") {
		t.Errorf("Inline not shortened: %q", got)
	}
}

func TestAppendJSON(t *testing.T) {
	skip := func(p []string) bool { return strings.Join(p, ".") == "empty" }
	b, err := AppendJSON([]byte("x"), sample(), skip)
	if err != nil {
		t.Fatal(err)
	}
	want := `x{
  "blob": "aGk=",
  "com.apple.dock": {
    "autohide-delay": 0.0
  },
  "f": 0.5,
  "list": [
    true,
    null
  ],
  "n": 48,
  "name": "a${b}%{c}\n",
  "when": "2024-01-02T03:04:05Z"
}
`
	if string(b) != want {
		t.Errorf("AppendJSON = %s\nwant   %s", b, want)
	}
}

// TestAppendJSONAsEncoder checks AppendJSON against what it replaced:
// the value as maps and slices (jsonData), written by the JSON library's
// Encoder with SetIndent("", "  ") and SetEscapeHTML(false). The bytes
// must be the same, errors included.
func TestAppendJSONAsEncoder(t *testing.T) {
	big, _ := new(big.Float).SetString("123456789012345678901234567890")
	values := map[string]cty.Value{
		"sample":     sample(),
		"null":       cty.NullVal(cty.String),
		"unknown":    cty.UnknownVal(cty.String),
		"empty list": cty.ListValEmpty(cty.String),
		"empty map":  cty.MapValEmpty(cty.String),
		"empty obj":  cty.EmptyObjectVal,
		"escapes": cty.MapVal(map[string]cty.Value{
			"quote\"back\\slash": cty.StringVal("tab\tnl\ncr\rbell\x07bs\bff\f"),
			"<html & co>":        cty.StringVal("<b>&amp;</b> \x7f"),
			"é, U+2028 \u2028":   cty.StringVal("U+2029 \u2029, 😀, bad \xff\xfe"),
			"":                   cty.StringVal(""),
			`only "quotes"`:      cty.StringVal(`only a back\slash`),
		}),
		"numbers": cty.TupleVal([]cty.Value{
			cty.NumberIntVal(0), cty.NumberIntVal(-7), cty.NumberFloatVal(math.Copysign(0, -1)),
			cty.NumberFloatVal(1e21), cty.NumberFloatVal(1.5e-7), cty.NumberFloatVal(3.25),
			cty.NumberVal(big), cty.NumberIntVal(math.MaxInt64), cty.NumberIntVal(math.MinInt64),
			plistval.RealVal(2), plistval.RealVal(-1.5e300),
		}),
		"nested": cty.ObjectVal(map[string]cty.Value{
			"a": cty.TupleVal([]cty.Value{
				cty.ObjectVal(map[string]cty.Value{"empty": cty.True, "x": cty.SetVal([]cty.Value{cty.StringVal("b"), cty.StringVal("a")})}),
				cty.EmptyObjectVal,
			}),
			"empty":        cty.StringVal("skipped at the top only"),
			"only skipped": cty.ObjectVal(map[string]cty.Value{"empty": cty.NumberIntVal(1)}),
		}),
		"large": large(),
		"nan":   cty.ObjectVal(map[string]cty.Value{"r": plistval.RealVal(math.NaN())}),
		"inf":   cty.TupleVal([]cty.Value{plistval.RealVal(math.Inf(-1))}),
		"+inf":  cty.TupleVal([]cty.Value{cty.PositiveInfinity}),
	}
	skips := map[string]Skip{
		"no skip":           nil,
		"empty at the top":  func(p []string) bool { return len(p) == 1 && p[0] == "empty" },
		"every empty":       func(p []string) bool { return p[len(p)-1] == "empty" },
		"list member a.0.x": func(p []string) bool { return strings.Join(p, ".") == "a.0.x" },
	}
	for name, v := range values {
		for sname, skip := range skips {
			got, gerr := AppendJSON(nil, v, skip)
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			werr := enc.Encode(jsonData(v, nil, skip))
			if (gerr == nil) != (werr == nil) || gerr != nil && gerr.Error() != werr.Error() {
				t.Errorf("%s, %s: error %v, the encoder's %v", name, sname, gerr, werr)
				continue
			}
			if werr == nil && string(got) != want.String() {
				t.Errorf("%s, %s: AppendJSON =\n%s\nthe encoder's\n%s", name, sname, got, want.String())
			}
		}
	}
}

// large is a value whose JSON spans many of AppendJSON's chunks, with
// strings longer than one and members nested deeper than the chunks.
func large() cty.Value {
	long := cty.StringVal(strings.Repeat("0123456789abcdef", 3000)) // 48 kB
	members := map[string]cty.Value{"long": long, "quoted \"long\"": cty.StringVal(strings.Repeat("\"\n", 20000))}
	for i := range 2000 {
		k := "member-" + strconv.Itoa(i)
		members[k] = cty.ObjectVal(map[string]cty.Value{
			"n":    cty.NumberIntVal(int64(i) * 1e12),
			"list": cty.TupleVal([]cty.Value{cty.StringVal(k), cty.True, cty.NumberFloatVal(float64(i) / 7)}),
			"deep": cty.ObjectVal(map[string]cty.Value{"deeper": cty.ObjectVal(map[string]cty.Value{"x": cty.StringVal(k)})}),
		})
	}
	return cty.ObjectVal(members)
}

// TestAppendJSONToDst checks that AppendJSON appends to dst: in place
// while the value fits in its room, and copied with it when not.
func TestAppendJSONToDst(t *testing.T) {
	for name, v := range map[string]cty.Value{"small": sample(), "large": large()} {
		alone, err := AppendJSON(nil, v, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, room := range []int{0, 10, len(alone), len(alone) + 100} {
			dst := append(make([]byte, 0, 3+room), "abc"...)
			got, err := AppendJSON(dst, v, nil)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != "abc"+string(alone) {
				t.Errorf("%s, room %d: AppendJSON(dst) is not dst then AppendJSON(nil)", name, room)
			}
			if inPlace := &got[0] == &dst[:1][0]; inPlace != (room >= len(alone)) {
				t.Errorf("%s, room %d: appended in place %v, want %v", name, room, inPlace, !inPlace)
			}
		}
	}
}

// jsonData is v as the JSON library's data, members skipped as
// AppendJSON does: the way render wrote JSON before AppendJSON.
func jsonData(v cty.Value, path []string, skip Skip) any {
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	t := v.Type()
	switch {
	case t == cty.String:
		return v.AsString()
	case t == cty.Number:
		return json.Number(Number(v.AsBigFloat()))
	case t == cty.Bool:
		return v.True()
	case t.Equals(plistval.RealType):
		f, _ := plistval.AsReal(v)
		return json.Number(plistval.FormatReal(f))
	case t.Equals(plistval.DateType):
		d, _ := plistval.AsDate(v)
		return d.Format(time.RFC3339)
	case t.Equals(plistval.DataType):
		d, _ := plistval.AsData(v)
		return base64.StdEncoding.EncodeToString(d)
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		out := []any{}
		i := 0
		for it := v.ElementIterator(); it.Next(); i++ {
			_, ev := it.Element()
			out = append(out, jsonData(ev, append(slices.Clip(path), strconv.Itoa(i)), skip))
		}
		return out
	default:
		out := map[string]any{}
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			p := append(slices.Clip(path), k.AsString())
			if skip == nil || !skip(p) {
				out[k.AsString()] = jsonData(ev, p, skip)
			}
		}
		return out
	}
}
