// Package forexpr evaluates HCL for-expressions ([for x in xs : ...] and
// {for k, v in m : k => ...}) without hclsyntax's cost per element.
//
// Why: hclsyntax's ForExpr.Value makes a new evaluation context and a
// new map of variables for every element it iterates over. The built-in
// modules iterate over every user several times (the administrators of
// core/users_admin.hcl; the authorized_keys files and their check in
// linux/openssh.hcl), so a configuration of 1,000 users paid 3,000
// contexts and maps in each evaluation.
//
// [Expr] is an hclsyntax.ForExpr whose Value iterates with one context
// and one map of variables, set anew for each element. The loader's
// fast parser makes one of each for-expression it reads itself; one in
// a span it hands to hclsyntax, or in a module hclsyntax parses, stays
// hclsyntax's node and is evaluated as before.
//
// Value computes only what nothing can tell apart from hclsyntax's
// answer: as soon as anything is out of the ordinary (a diagnostic; an
// unknown, null or marked collection, condition or key; a condition
// that is not a bool or a key that is not a string, which hclsyntax
// would convert; two items with one key; grouping with ...), it drops
// what it computed and returns hclsyntax's own ForExpr.Value,
// diagnostics included. The expressions inside are evaluated by
// hclsyntax as before, but for an iteration variable or a plain
// attribute of one (`u.admin`), which Value reads from the variable
// itself, and they keep no reference to the context once
// evaluated (HCL has no closures), so reusing it is safe; a diagnostic
// could keep one, which is one more reason why any diagnostic means
// hclsyntax evaluates the whole expression again.
package forexpr
