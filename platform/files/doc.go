// Package files is the resource provider for managed files: dotfiles in
// users' home folders (`home.<user>.files`) and files under /etc
// (`environment.etc`). It turns them into `file:` resources (and `dir:`
// resources for the folders gocfg creates), plans them against the live
// machine and carries the plan out with undoable ops (DESIGN.md §4).
//
// Methods:
//   - link (default): a symlink through `<state>/current/files/<root>/<rel>`,
//     so flipping `current` changes every linked file at once; a switch only
//     adds and removes links for paths that appear or disappear, and a
//     content change needs no operation at all. Under `--root` links are
//     relative, so the tree is right inside the root and from outside it.
//   - copy: a real, writable file (for programs that refuse symlinks),
//     written atomically; mode and owner are applied.
//   - live: a link straight to the source in the dotfiles repository.
//
// Decisions taken where the design is silent:
//   - Live state is compared with the desired state and with the record of
//     the current generation. A path gocfg manages that was changed by hand
//     is drift: when the new configuration still wants it, it is a conflict
//     like an unmanaged file (nothing written by hand is overwritten without
//     `force = true` or `--backup-ext`); when it is no longer wanted it is
//     left alone with a warning.
//   - A file that already has the desired content is adopted: for `copy` it
//     is kept, for `link` it is replaced by the link (the content is the
//     same, so nothing is lost).
//   - `force = true` replaces a file or symlink in the way; a folder in the
//     way still needs `--backup-ext`, since forcing would delete a tree.
//   - A backup (`--backup-ext`) is recorded and put back when the path
//     stops being managed. A backup made during a rollback is kept but not
//     recorded (generations are immutable), so it is not put back later.
//   - Folders gocfg creates are `dir:` resources; they are removed when no
//     managed file needs them any more and they are empty.
//   - A `source` folder without `recursive` is linked as one folder (its
//     files stored in the generation); `method = "copy"` needs a file or
//     `recursive = true`.
//   - Targets are relative paths without `..`; a parent folder that is a
//     symlink must resolve inside the home folder (or /etc). The check is
//     made when planning, and enforced by the kernel when applying (see
//     "The privilege boundary" below).
//   - The content hashes of sources are cached in the generation's records
//     by (size, mtime, ctime, inode), as git's index does; a source changed
//     less than a second before it was hashed is not cached.
//
// # The privilege boundary (DESIGN.md §7)
//
// When root switches, everything inside another user's home is under
// that user's control: links, folders swapped at any moment, races. gocfg
// does a home's file operations itself, as root, through descriptors
// (system.Confine), rather than in a helper process under the user's
// uid: every op of the journal then runs the same way in the switch, in
// its undo and in the recovery of a killed switch, with one code path for
// /etc, the state folder and homes, and no second process to start, feed
// and trust per user. The model:
//
//   - cmd/gocfg confines the home of every account but root when root
//     runs (ConfineHome; homes the configuration names that the account
//     database lacks yet are confined by the provider). Below a confined
//     home, the kernel resolves every path from the home's descriptor with
//     openat2 RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS: a link that stays
//     inside is followed (a symlinked ~/.config works), one that leads out,
//     or an absolute one, is refused (system.ErrOutside). The last element
//     is never followed: links are made with symlinkat and renamed into
//     place, files replaced through a .gocfg-tmp-* file created O_EXCL and
//     renamed relative to the folder's descriptor, modes and owners changed
//     on a descriptor opened O_NOFOLLOW (a link is refused for a mode, and
//     a file with other hard links is never chmod'ed or given away), reads
//     only of regular files. A user who swaps a folder reaches only what
//     they could reach themselves.
//   - The content copied into a home is checked against its recorded hash
//     (WriteOp, Prev); it comes from a store area root owns (see package
//     generations).
//   - A home whose state cannot be read safely, or where a path is in the
//     way, is held (held.go): its conflicts are reported, its files left as
//     they are (carried into the new generation), and everything else
//     still switches; plan and switch exit with status 3. --fail-fast, and
//     every rollback, refuse the whole switch instead.
//   - An ordinary user switching their own home needs no boundary: nothing
//     is confined and absolute links on the way are followed as before.
package files
