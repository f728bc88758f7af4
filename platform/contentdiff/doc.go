// Package contentdiff makes the unified diff of two versions of a file's
// content, for people: the lines a plan shows under a changed file
// (`-export B=2` / `+export B=3`, as `git diff` and `chezmoi diff` do)
// and `gocfg generations diff` shows between two generations' stored
// files.
//
// It sits below platform: a Change carries a *Diff, which the files
// provider fills (it alone knows where the old and the new content are)
// and the plan's View prints. The package reads nothing of the machine
// and decides nothing: Compare gets two byte slices and returns hunks,
// at most MaxLines lines of them with a count of what was cut; Hide
// makes the diff of a content that must not be shown (binary, private,
// sensitive, too large), which views print as "content changed".
// Whether a file is private is the caller's to say; Binary and TooLarge
// are decided here.
//
// The line diff is github.com/aymanbagabas/go-udiff, an exported copy of
// the Go team's golang.org/x/tools/internal/diff (the diff gopls and the
// go command's tests use): Myers-style with a bounded search, so a large
// or very different file costs bounded time, and no dependencies.
package contentdiff
