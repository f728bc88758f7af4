// Package brewname holds Homebrew's rules for names: how brew writes a
// tap's name, and which tap and which last segment a qualified formula
// or cask name ("user/repo/name") has. The packages provider predicts
// brew's answers by them and internal/macfake's brew answers by them,
// so that the two agree on one reading of a name.
package brewname
