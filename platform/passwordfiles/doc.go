// Package passwordfiles sets users' passwords from files:
// users.<name>.hashed_password_file, NixOS's hashedPasswordFile, whose
// usual value is a secret's path (agenix's
// `hashedPasswordFile = config.age.secrets.<name>.path`), so that the
// hash is kept encrypted in the repository.
//
// What it does, as NixOS does at each activation: at every switch the
// file is read and its hash set with `chpasswd --encrypted` (on its
// standard input) when the account's differs, so a password changed
// with passwd is set back and `gocfg status` reports it. A file missing
// at the switch, or one the switch removes, leaves the password as it
// is, with a warning. Removing the option leaves the password; a
// rollback reads the file its generation names again (for a secret, the
// generation's secret, which the rollback decrypts before).
//
// When it reads the file: at plan time, unless the plan writes the
// file anew (a system secret decrypted by this switch:
// platform.Facts.Written, whose owner and mode are checked at plan
// time), in which case the op reads it after the secrets' swap, and the
// plan says "read when applied". That is why this is a provider of its
// own, ranked after secrets: the users provider plans before the
// secrets (their owners must exist first).
//
// What the file may be (the privilege boundary, DESIGN.md §7): whoever
// may change the file, or a folder on its way, chooses the account's
// password, so the file and every folder on its way must be root's and
// writable by no one else (no group or other write bit), even the
// account's own: a user's own secrets (home.<name>.age) cannot be used.
// Links on the way are followed as the machine would, one component at
// a time (under --root, an absolute link leads inside the tree, never to
// the host's files), and the file opened must be the one resolved. It
// must be a regular file (a FIFO, a device or a socket is refused before
// a read could block), at most 4 KiB, holding one crypt(3) hash, "!" or
// "*" (a final newline allowed), as for hashed_password; an error never
// quotes it. The hash is in no plan, status or diff; the journal of a
// switch in progress (0600, root's) holds the hash it replaces, as for
// hashed_password.
//
// Unlike NixOS: the boot unit (gocfg-secrets.service) writes the
// secrets again at boot but sets no password (the password set by the
// last switch stays in /etc/shadow); under --root without --secrets a
// secret is not decrypted, so the tree boots with the password the plan
// warned it leaves; and the undo of a switch cut by a power loss cannot
// read /run's secret again, so it leaves the new hash.
//
// Linux only: on macOS the option is ignored with a warning, as
// hashed_password is.
package passwordfiles
