package brewname

import "strings"

// Tap is tap n's name as brew keeps and prints it: lower case, and
// "user/homebrew-repo" is "user/repo".
func Tap(n string) string {
	n = strings.ToLower(n)
	user, repo, ok := strings.Cut(n, "/")
	if !ok {
		return n
	}
	return user + "/" + strings.TrimPrefix(repo, "homebrew-")
}

// Base is the last segment of a formula or cask name: the name `brew
// list` shows for "hashicorp/tap/terraform" is "terraform".
func Base(n string) string { return n[strings.LastIndexByte(n, '/')+1:] }

// TapOf returns the tap a qualified name ("user/repo/name") comes from,
// as Tap writes it, or "" for an unqualified one and for Homebrew's own
// core and cask taps, which brew reads from its API without tapping
// them.
func TapOf(n string) string {
	i := strings.LastIndexByte(n, '/')
	if i < 0 {
		return ""
	}
	t := Tap(n[:i])
	if t == "homebrew/core" || t == "homebrew/cask" {
		return ""
	}
	return t
}
