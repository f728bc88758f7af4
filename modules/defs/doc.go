// Package defs collects definitions: every place a module gives an option
// a value. It is the step between declaring options (modules/schema) and
// evaluating them (modules/eval).
//
// The collector walks each module's syntax with the option tree at hand.
// Blocks and object constructors are taken apart statically, key by key,
// as far as the options allow (through groups, attribute sets and
// submodules), so that `users "alice" { shell = force("/bin/zsh") }` and
// `users = { alice = { shell = force("/bin/zsh") } }` both become one
// definition of users.alice.shell with priority 50. The priority and order
// wrappers (default, force, override, when, before, after, merge_all) are
// recognised here, by syntax, and only as the whole value of a
// definition; a block's `when =` becomes a condition on everything the
// block defines. Taking constructors apart before evaluating anything is
// what makes `config` references lazy enough for NixOS-style modules
// (`when(config.x.enable, {...})` never needs the value it guards).
//
// A block or constructor that reaches an attribute set or submodule also
// leaves a Marker definition (an empty object) there: `users "bob" {}`
// defines bob with every default, and `users = {}` still counts as a
// definition of users.
//
// Each definition keeps where the keys of its path are written (Def.Keys:
// block types and labels, attribute names, object keys), so that an error
// about a key, found once the configuration is evaluated, can point at
// the label that names it rather than at the whole block.
//
// Keys are Unicode-normalized: every Def's Path is in NFC, the form
// go-cty gives object keys and strings, so that `users "josé" {}` and
// config.users["josé"] name the same user however the é was typed. The
// spelling as written is kept (Def.Spelled) when it differed, so that
// evaluation can refuse one key written two ways (".café" with é, and
// with e and a combining accent) instead of merging the two silently; two
// such keys in one object constructor are refused here.
package defs
