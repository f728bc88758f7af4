// Package pathtrust tells whether someone other than the users root's
// gocfg trusts (root, and the user who ran it through sudo) could change
// a path: put another file or folder in its place, or write what it
// holds. Root's gocfg applies what its configuration says; a module, a
// file a module reads, a repository init clones or a --root tree that an
// ordinary user can change lets that user decide what root does
// (tester AI: gocfg init --apply alice, run from /tmp, cloned and
// applied her /tmp/alice). The rule is sshd's StrictModes: every folder
// on the way, and the path itself, is owned by a trusted user and not
// writable by group or others, except a folder with the sticky bit
// (/tmp), in which only an entry's owner may rename or remove it.
package pathtrust
