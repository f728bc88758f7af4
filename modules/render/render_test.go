package render

import (
	"strings"
	"testing"

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

func TestJSON(t *testing.T) {
	skip := func(p []string) bool { return strings.Join(p, ".") == "empty" }
	b, err := json.Marshal(JSON(sample(), skip))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"blob":"aGk=","com.apple.dock":{"autohide-delay":0.0},"f":0.5,"list":[true,null],"n":48,"name":"a${b}%{c}\n","when":"2024-01-02T03:04:05Z"}`
	if string(b) != want {
		t.Errorf("JSON = %s\nwant   %s", b, want)
	}
}
