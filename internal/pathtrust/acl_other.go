//go:build !linux

package pathtrust

// aclLetsOthersWrite reports whether path has an ACL that lets others
// write: not looked at outside Linux yet (macOS's extended ACLs are not;
// see docs/design.md §7), where the private-group exception then holds
// on the mode alone.
func aclLetsOthersWrite(string, func(int) bool) bool { return false }
