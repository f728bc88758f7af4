// Package secrets is the resource provider for `age.secrets` (issue 16,
// DESIGN.md §9): age-encrypted files of the dotfiles repository,
// decrypted in process at the switch and written where programs read
// them, so that plaintext exists only there (and in gocfg's memory).
//
// # Where the plaintext goes
//
// System secrets live on a RAM file system. A switch that changes any
// secret writes the whole set anew into /run/gocfg/secrets.d/<set> (set:
// the new generation's number), each file first as a temporary file
// owned by root and 0400, then given its owner, group and mode, then
// renamed to its name; it then swaps the link /run/gocfg/secrets to the
// new set with one rename, and once the new generation is current
// (Commit) removes the previous set. A secret's `path` is a symbolic link
// to /run/gocfg/secrets/<name>, never a copy: the plaintext never lands
// on a disk. (A program that refuses a linked file cannot be given a
// copy yet.)
//
// /run/gocfg/secrets.d is made mode 0751. When /proc/self/mountinfo says
// that it is on a tmpfs or ramfs already (/run is a tmpfs on every
// systemd machine), that is used; otherwise a tmpfs is mounted there
// (nodev,nosuid,noexec,mode=0751). Undoing a switch leaves that folder
// (and a tmpfs gocfg mounted) in place, empty.
//
// # What is recorded
//
// A generation records, per secret, only the ciphertext's hash
// ("sha256:<hex>", secrets.CiphertextHash) and the metadata (path, owner,
// group, mode, units), and stores the ciphertext itself in its files
// tree (root "age", the private store area "age" only root reads).
// Plans, status, `generations diff` and --json show that hash, never
// content; the plaintext is in no record, journal entry (an op names
// the stored ciphertext and the identity files, and decrypts when it
// runs) or message.
//
// A rollback, and the boot unit `gocfg-secrets.service` (declared by
// modules/builtin/hcl/core/age.hcl, running `gocfg secrets activate`,
// see Activate), decrypt again from the generation's stored ciphertext,
// with the identity paths that generation recorded: neither needs the
// repository.
//
// # Units
//
// A switch that creates or changes a secret restarts (reloads) the
// running units its `restart_units` (`reload_units`) name, once the new
// generation is current; units that are not running read the new secret
// when they start. A removed secret's link goes, and its plaintext with
// the previous set.
//
// # Identities
//
// `age.identity_paths` (default the host's SSH ed25519 key) are read
// through the System seam when a secret is decrypted; missing files are
// skipped. Every new or changed secret is decrypted when the plan is
// made, so a wrong identity, a damaged file or a file encrypted to
// someone else fails the plan before anything changes.
//
// # Not done here
//
// Under --root nothing is decrypted: the plan records the secrets and
// stores their ciphertext, and says that the boot unit writes them when
// the tree boots (with the host key of the tree). `home.<user>.age` is
// refused with a clear error: home secrets are not built yet. macOS is
// refused likewise.
package secrets
