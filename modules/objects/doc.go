// Package objects builds go-cty object values and reads their
// attributes without go-cty's copies.
//
// Why: a cold evaluation builds an object for every option group and
// every attribute set, and its JSON writer reads every attribute of
// each. cty.ObjectVal makes three maps for an object
// (the types, the values, and a copy of the types inside cty.Object) and
// normalises every attribute name twice (Unicode NFC); Value.GetAttr
// normalises the name again and looks it up three times. Together that
// was 12% of what such an evaluation allocated (3.8 of 31.1 MB) and
// about 5% of its CPU time. Val makes the two maps the object keeps,
// ValLike only the values' where the object has the shape of the last
// one its caller built (every user, every instance of a submodule), and
// Attr looks the name up twice.
//
// How: go-cty keeps an object value as its type (an object type whose
// attribute types are a map) and a map of the attributes' inner values,
// in unexported fields. Val, ValLike and Attr build and read those
// fields directly (layout.go). TestLayout checks, by reflection, that
// go-cty's types are laid out as this package expects, and the tests
// compare every result with go-cty's own functions, so an upgrade of
// go-cty that changes them fails the tests rather than the evaluation.
//
// What they leave to go-cty: an attribute name that is not ASCII (its
// normalised form may differ; ASCII is its own normal form), a marked,
// unknown or null object, and anything that is not an object. The
// results are the values go-cty makes: RawEquals holds between them.
package objects
