//go:build !linux

package pathtrust

// Modeless names the file system path is on when it keeps no Unix
// modes of its own; macOS's are not told apart here.
func Modeless(string) (string, bool) { return "", false }
