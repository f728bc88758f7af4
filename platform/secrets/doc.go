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
// tree, in the private store area "age" only root reads: root "age" for
// the system's secrets, and a root per user for hers, "age-home/<user>"
// (HomeStoreRoot), so that a rollback can hold one user's secrets as it
// holds her files (see Users' secrets). Generations made before that
// stored users' secrets under "age" too, and are still read.
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
// # Drift
//
// A plan finds a system secret missing from the live set, or its file
// changed by hand: its mode, its owner, or its content, which it
// compares by decrypting the current generation's ciphertext (when this
// run can read an identity). The next switch writes the set anew. A
// user's secret in her home is not read back: it is hers to change.
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
// # Users' secrets
//
// `home.<user>.age.secrets` are decrypted with the user's identity files
// (`home.<user>.age.identity_paths`, in the home) into regular files
// owned by the user: `path` in the home, else
// $XDG_RUNTIME_DIR/gocfg/secrets/<name>. Root reads the identities and
// writes the files through the System seam with the home (and the
// runtime folder) confined (system.Confine, DESIGN.md §7): no link the
// user planted is followed out of it. Each file is written to a
// temporary file, given to the user and renamed; replacing or removing
// one is undone by decrypting the previous ciphertext again from the
// current generation. A runtime folder that does not exist (the user is
// not logged in) is a note: the next switch that finds it writes the
// secret.
//
// What she controls fails only her secrets (DESIGN.md §7): a file of hers
// in the way, an identity that does not decrypt, or a step in her home
// that fails holds her secrets, in a switch and in a rollback. They stay
// as they are, and the new generation records them as the current one
// does; a rollback takes their ciphertexts from the current generation's
// store (her HomeStoreRoot). Only when the current generation keeps her
// ciphertexts with everyone's (one made before per-user roots, current
// again by a rollback that recorded no generation) does her conflict
// still refuse the rollback (StoredWithEveryones). A rollback that
// records a generation of such a target gives each user a root of her
// own there (Part.AddedRoots).
//
// # Not done here
//
// Under --root nothing is decrypted unless the command says --secrets
// with --identity FILE (keys of the machine that builds the tree, held
// in memory by the ops, not journaled: a later recovery that must
// decrypt again fails and keeps the journal): the plan records the
// secrets and stores their ciphertext, and says that the boot unit
// writes the system's when the tree boots (with the host key of the
// tree); users' secrets are written by the first switch on the machine.
// macOS is refused with a clear error.
package secrets
