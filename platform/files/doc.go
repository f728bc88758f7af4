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
//     made when planning; it does not protect against a parent swapped for
//     a symlink between the plan and the apply (that needs *at system calls
//     throughout and is left for later).
//   - The content hashes of sources are cached in the generation's records
//     by (size, mtime, ctime, inode), as git's index does; a source changed
//     less than a second before it was hashed is not cached.
package files
