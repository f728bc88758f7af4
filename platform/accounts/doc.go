// Package accounts reads the machine's user and group database
// (/etc/passwd and /etc/group, through a system.System so `--root`
// reads the root's own files), the valid login shells (/etc/shells) and
// the ID ranges of /etc/login.defs. Resources use it to find home folders
// and the owners of the files they write; the users provider
// (platform/users) reads the live state of users and groups with it.
// Creating users is that provider's job, not this package's.
package accounts
