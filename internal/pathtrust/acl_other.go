//go:build !linux

package pathtrust

// hasACL reports whether path has an ACL that may let others write: not
// looked at outside Linux yet (macOS's extended ACLs are not; see
// docs/design.md §7), where the private-group exception then holds on
// the mode alone.
func hasACL(string) bool { return false }
