// Package accounts reads the machine's user and group database
// (/etc/passwd and /etc/group, through a system.System so `--root`
// reads the root's own files). Resources use it to find home folders and
// the owners of the files they write. Creating users is the users
// provider's job (platform/linux), not this package's.
package accounts
