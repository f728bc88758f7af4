package objects

import (
	"reflect"
	"testing"
	"unsafe"

	"github.com/zclconf/go-cty/cty"
)

// TestLayout checks that go-cty lays out its values and object types as
// layout.go mirrors them. It fails, rather than the evaluation, when an
// upgrade of go-cty changes them.
func TestLayout(t *testing.T) {
	vt := reflect.TypeFor[cty.Value]()
	mt := reflect.TypeFor[value]()
	if vt.Size() != mt.Size() || vt.NumField() != 2 {
		t.Fatalf("cty.Value is %d bytes with %d fields; the mirror is %d bytes with 2", vt.Size(), vt.NumField(), mt.Size())
	}
	for i, want := range []struct {
		name string
		typ  reflect.Type
	}{{"ty", reflect.TypeFor[cty.Type]()}, {"v", reflect.TypeFor[any]()}} {
		f, m := vt.Field(i), mt.Field(i)
		if f.Name != want.name || f.Type != want.typ || f.Type != m.Type || f.Offset != m.Offset {
			t.Errorf("cty.Value field %d is %s %s at %d; want %s %s, and the mirror's %s at %d", i, f.Name, f.Type, f.Offset, want.name, want.typ, m.Type, m.Offset)
		}
	}

	tt := reflect.TypeFor[cty.Type]()
	if tt.NumField() != 1 || tt.Field(0).Type.Kind() != reflect.Interface || tt.Size() != unsafe.Sizeof(iface{}) {
		t.Fatalf("cty.Type is not one interface field: %d fields, %d bytes", tt.NumField(), tt.Size())
	}
	impl := reflect.ValueOf(cty.EmptyObject).Field(0).Elem().Type()
	ot := reflect.TypeFor[typeObject]()
	if impl.Kind() != reflect.Struct || impl.Size() != ot.Size() || impl.NumField() != 3 {
		t.Fatalf("go-cty's object type is %s, %d bytes with %d fields; the mirror is %d bytes", impl, impl.Size(), impl.NumField(), ot.Size())
	}
	if f := impl.Field(0); f.Type.Size() != 0 {
		t.Errorf("go-cty's object type starts with %s %s of %d bytes; want its sigil of none", f.Name, f.Type, f.Type.Size())
	}
	for i, want := range []struct {
		name string
		typ  reflect.Type
	}{{"AttrTypes", reflect.TypeFor[map[string]cty.Type]()}, {"AttrOptional", reflect.TypeFor[map[string]struct{}]()}} {
		f, m := impl.Field(i+1), ot.Field(i)
		if f.Name != want.name || f.Type != want.typ || f.Type != m.Type || f.Offset != m.Offset {
			t.Errorf("go-cty's object type field %d is %s %s at %d; want %s %s, and the mirror's %s at %d", i+1, f.Name, f.Type, f.Offset, want.name, want.typ, m.Type, m.Offset)
		}
	}
}
