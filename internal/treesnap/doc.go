// Package treesnap describes a folder tree for tests: every path with
// its type, mode, owner and content or link target, so a test can say
// that an undo, a dry run or a recovery left the disk exactly as it was.
// Test-only; no production code imports it.
package treesnap
