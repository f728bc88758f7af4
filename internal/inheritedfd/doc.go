// Package inheritedfd marks the file descriptors a process inherited
// from whatever started it, above standard error, close-on-exec.
//
// Go opens every descriptor of its own close-on-exec, but one its parent
// left open without that flag (a shell's `exec 7<file`, a log or a socket
// of a script running gocfg) passes to every program gocfg starts. Some
// of those run as another account: a user's on_change hook inherited
// root's descriptor and read a root-only file through it (tester V).
// gocfg passes no descriptor to a child on purpose, so it marks them all
// at its start.
package inheritedfd
