// Package plistval gives configuration values the plist types that HCL
// cannot express on its own. HCL has one number type, so `real(x)` marks a
// number that must be written as a plist <real> even when it is integral;
// `date(...)` and `data(...)` carry <date> and <data>. They are go-cty
// capsule values: they pass through objects, lists and functions
// unchanged and compare by content.
//
// Place in the pipeline: the evaluator (modules/eval) produces them from
// the helper functions; the macOS appliers read them when writing
// preferences; the renderers print them as real(...), date(...), data(...)
// in HCL output and as plain JSON numbers and strings.
package plistval
