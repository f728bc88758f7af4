// Package eval computes the merged configuration: the third step of the
// module system, after loading (modules/loader), declaring
// (modules/schema) and collecting definitions (modules/defs).
//
// Evaluation is lazy and memoised per configuration path, like the NixOS
// module system: asking for users.alice.shell evaluates the definitions of
// that path and of what their expressions reference (`config.x.y`,
// `local.z`), nothing else. Each expression's references are found from
// its syntax (hcl.Expression.Variables) before it is evaluated, and only
// the referenced parts of `config` are computed and handed to it. A path
// reached again while it is being computed is a cycle, reported with the
// chain of paths (`a.b -> c.d -> a.b`).
//
// Merging follows NixOS (lib/modules.nix and lib/types.nix):
//   - definitions reach an option from blocks and constructors taken apart
//     by the collector, or by splitting an evaluated object defined higher
//     up; at a group of options the split keeps each definition's priority
//     and conditions (NixOS pushes mkOverride and mkIf down), while inside
//     an option's value the priorities are first filtered at that level;
//   - at every option and every key inside one, the conditions are
//     discharged and only the definitions with the lowest priority number
//     are kept; a definition below the level counts as plain (100);
//   - then the type merges what is left: equal scalars, concatenated lists
//     and lines (sorted by order, then module order), attribute sets and
//     submodules key by key, anything recursively for objects.
//
// An object of many members (256 and more: a machine's users, a
// thousand generated modules' options) is computed on every core: forks
// (fork.go), evaluators with memo tables of their own, compute the later
// members while the evaluator computes the first ones, and the evaluator
// takes what a fork computed unless it reported anything. What a fork
// reports is left to the evaluator, which then computes those members
// in its usual order, so that the values and the diagnostics, in order,
// are those of one core.
//
// Decisions the design left open: an unset option (no definition, no
// default) reads as null in expressions and is left out of output;
// reading a key that an attribute set does not have is an error (use
// try() or lookup()); after an error, values that depend on it become
// unknown so that one mistake gives one diagnostic; a key written in two
// Unicode spellings that are one name after NFC normalization (from
// different definitions) is an error at the later one, not a silent
// merge: on macOS the two file names would even be one file.
package eval
