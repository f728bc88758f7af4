package objects

import (
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func user(name string, uid int64, groups ...string) map[string]cty.Value {
	gs := make([]cty.Value, len(groups))
	for i, g := range groups {
		gs[i] = cty.StringVal(g)
	}
	return map[string]cty.Value{
		"name":   cty.StringVal(name),
		"uid":    cty.NumberIntVal(uid),
		"groups": cty.ListVal(gs), // a list type made anew for each
		"shell":  cty.NullVal(cty.String),
	}
}

func TestValLike(t *testing.T) {
	first := Val(user("alice", 1000, "wheel"))
	nested := Val(map[string]cty.Value{"home": Val(map[string]cty.Value{"dir": cty.StringVal("/a")})})
	for _, c := range []struct {
		name  string
		attrs map[string]cty.Value
		like  cty.Type
		share bool
	}{
		{"the same shape", user("bob", 1001, "users", "audio"), first.Type(), true},
		{"an object of one shared type inside", map[string]cty.Value{"home": nested.GetAttr("home")}, nested.Type(), true},
		{"an attribute of another type", map[string]cty.Value{
			"name": cty.StringVal("carol"), "uid": cty.StringVal("1002"),
			"groups": cty.ListValEmpty(cty.String), "shell": cty.NullVal(cty.String),
		}, first.Type(), false},
		{"another name", map[string]cty.Value{
			"login": cty.StringVal("carol"), "uid": cty.NumberIntVal(1002),
			"groups": cty.ListValEmpty(cty.String), "shell": cty.NullVal(cty.String),
		}, first.Type(), false},
		{"one attribute more", func() map[string]cty.Value {
			a := user("dave", 1003, "users")
			a["admin"] = cty.True
			return a
		}(), first.Type(), false},
		{"an equal object type, not shared", map[string]cty.Value{
			"home": cty.ObjectVal(map[string]cty.Value{"dir": cty.StringVal("/b")}),
		}, nested.Type(), false},
		{"a name that is not ASCII", map[string]cty.Value{"cafe\u0301": cty.True}, cty.Object(map[string]cty.Type{"caf\u00e9": cty.Bool}), false},
		{"no type yet", user("erin", 1004, "users"), cty.NilType, false},
		{"not an object type", user("erin", 1004, "users"), cty.Map(cty.String), false},
		{"a type constraint with optional attributes", map[string]cty.Value{"a": cty.True},
			cty.ObjectWithOptionalAttrs(map[string]cty.Type{"a": cty.Bool}, []string{"a"}), false},
		{"no attributes: go-cty's empty object", map[string]cty.Value{}, cty.EmptyObject, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			want := cty.ObjectVal(c.attrs)
			got := ValLike(c.attrs, c.like)
			if !got.RawEquals(want) || !got.Type().Equals(want.Type()) {
				t.Fatalf("ValLike = %#v; cty.ObjectVal = %#v", got, want)
			}
			if shared := identical(got.Type(), c.like); shared != c.share {
				t.Errorf("ValLike's type is like's: %v; want %v", shared, c.share)
			}
		})
	}
}

// TestValLikeKeepsNotAttrs checks that the caller may reuse the map it
// passed, and that a value does not change when a later one of its
// shape is made.
func TestValLikeKeepsNotAttrs(t *testing.T) {
	attrs := user("alice", 1000, "users")
	a := ValLike(attrs, cty.NilType)
	attrs["name"] = cty.StringVal("bob")
	b := ValLike(attrs, a.Type())
	if !identical(a.Type(), b.Type()) {
		t.Fatalf("the second value does not share the first's type")
	}
	if got := a.GetAttr("name").AsString(); got != "alice" {
		t.Errorf("the first value's name is %q after the second was made", got)
	}
	if got := b.GetAttr("name").AsString(); got != "bob" {
		t.Errorf("the second value's name is %q", got)
	}
}
