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
//     What it replaced, and a file adopted for its content, is kept in the
//     generation and put back when gocfg lets go of the path or a rollback
//     returns to before it (originals.go). Only the file the plan saw is
//     kept, read from descriptors that are that file, with one link;
//     a file with other hard links, or one in a home that its user may
//     not read (the home's store area is hers to read), is not kept:
//     it is a conflict (kept.go).
//   - Nothing written while gocfg runs is lost (seen.go): an op that
//     replaces, moves aside or removes a file acts only while the path is
//     what the plan saw. gocfg's own file is moved aside (not rewritten in
//     place), checked, and deleted at commit only if unchanged; a new file
//     appears with WriteNewFile, never over what appeared meanwhile. On a
//     mismatch the switch stops, is undone, and says which file changed.
//   - A file or link that replaces one at its path is never missing, not
//     even for an instant (swap.go): a program reading /etc while a
//     switch replaces /etc/sudoers.d/gocfg finds the old file or the new
//     one, and a switch killed at any point leaves one of them there.
//     The new file is written, mode and owner set, at the aside name
//     (<path>.gocfg-N~, or the backup's), then the two names are swapped
//     atomically (system.Exchange: renameat2 RENAME_EXCHANGE, macOS
//     RENAME_SWAP), and what the aside name then holds, what was at the
//     path at that instant, is checked against what the plan saw, as a
//     file moved aside is: an edit made until the swap is seen, the names
//     swapped back, the new file deleted, and the switch stops with the
//     edit at the path. Not temporary file and rename, as NixOS and
//     chezmoi replace a file: that rename replaces whatever is at the
//     path then, so an editor's file saved there after the check would be
//     lost. A file system that cannot swap (NFS, FUSE, a kernel before
//     3.15) gets the move aside and WriteNewFile, and the gap between
//     them. Undo knows the states in between: the new file aside with the
//     old one at the path (stopped before the swap, or after swapping
//     back) is deleted; after the swap it is a move's and a write's.
//   - Files and the packages of the same switch (after.go): when the plan
//     installs packages (platform.Facts.Installs), every /etc change but
//     a removal waits for packages:install, so the packages' postinsts
//     run on the machine's own files, not gocfg's. A package may then
//     make a path the plan saw absent. Compare and swap still holds for
//     it: the op refuses what appeared and the switch is undone, unless
//     the file has force = true, which means "replace what is there":
//     then the op moves what appeared to <path>.gocfg-orig (kept; the
//     plan records it as the file's backup), and it is put back when
//     gocfg lets go of the path or a rollback returns to before it, as
//     force does with what the plan sees. Home files are not concerned.
//     A check whose program is not on the machine yet (a package the
//     plan installs brings it) runs at the switch, right before the
//     write (check.go).
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
//   - Everything that becomes a path is checked when planning, each error
//     naming its option (the CLI shows where it is set) with a hint, all
//     at once, before anything is written (lengths.go, desired.go); the
//     next four items say what is checked.
//   - The keys of `home` are user names: not empty, ".", ".." nor with a
//     "/" or a control character (users.NameProblem, the rule the users
//     provider's own starts with). Only that: a home may be that of an
//     account gocfg did not make, whose name need not follow shadow's
//     rules for new accounts. `home ""` once planned /etc as a home.
//   - A target whose first name is "~" ("~/.zshrc", as home-manager and
//     a shell write it) is refused, not taken as a folder named "~": a
//     target is relative to the home folder already, a literal "~"
//     folder is almost never what was meant, and the error is the safe
//     choice (the hint says to write ".zshrc"). "~" further down a
//     target, or in a name ("x~"), is a name like any other.
//   - A name longer than 255 bytes (NAME_MAX), and a path longer than
//     PATH_MAX less one (4095 bytes; 1023 on macOS) is refused: the
//     file's path, and for a link or a copy its path in the generation,
//     which is longer, and a link's target; under --root each with the
//     tree's folder in front, as the system calls get them. (Suffixes
//     gocfg adds at the switch, an aside's ".gocfg-N~" or a backup's
//     extension, are not counted.)
//   - environment.etc.<path>.mode = "" is an error, as for home files,
//     not the default 0644 (which applies when the mode is unset).
//   - The content hashes of sources are cached in the generation's records
//     by (size, mtime, ctime, inode), as git's index does; a source changed
//     less than a second before it was hashed is not cached.
//   - A source the plan reads to hash it is kept in memory when small (at
//     most 16 KiB, 16 MiB for a plan; hash.go's hashKeep), and the store
//     copies those bytes rather than opening the source again; it still
//     checks them against the hash, and a source changed after the plan
//     is stored as it was hashed. Larger sources are read again.
//
// # Modes and private files (modes.go)
//
// A mode is never ignored. A linked file's content is the generation's,
// read-only, so a link cannot take a mode: as in NixOS
// (environment.etc.<name>.mode), a mode makes the file a copy with that
// mode, owner and group, whatever its method.
//   - environment.etc.<path>.mode: any mode other than the default 0644
//     makes the file a copy.
//   - home.<user>.files.<target>.mode (null by default): any mode makes
//     the file a copy; method = "live", a link to the source itself,
//     refuses one; executable, when set too, must agree with it. Without
//     a mode a copy takes its source's permission bits without write for
//     group and others (a 0600 source stays 0600), or 0644 for text, and
//     executable adds execute where read is allowed or removes it.
//   - Setuid, setgid and sticky bits are refused, not dropped.
//
// A file is private when its mode denies others read (no o+r: 0600,
// 0640, 0700). A private /etc copy is stored in the store area only root
// reads (root etc-private, area system-private); a user's files, linked
// or copied, are in that user's own area anyway (package generations).
// Links are not private in this sense whatever their source's mode:
// their content is the store's, readable by all under /etc and by their
// user alone in a home.
//
// Folders gocfg creates in a home are 0700 when they directly hold a
// private copy, or are ~/.ssh, ~/.gnupg, ~/.password-store or inside one
// (known private: keys are kept there later); every other folder it
// creates is 0755, and the home folder itself (created under --root)
// 0700. Folders under /etc are 0755: a daemon's group may need to enter
// one to read its 0640 file. The mode is chosen when gocfg creates the
// folder; a folder that exists, gocfg's own from an earlier switch
// included, keeps its mode.
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
//   - An /etc folder that another account may change (owned by it, as
//     Debian's /etc/postgresql/15/main belongs to postgres, or writable by
//     a group or by everyone) is confined the same way when root plans its
//     /etc files (etc_confine.go): the first such folder on the way to
//     each file. Its account could otherwise swap a folder in it for a
//     link, or a managed copy for a link after the plan, and have root
//     write, replace or chmod a file of its choice.
//   - The content copied into a home is checked against its recorded hash
//     (WriteOp, Prev); it comes from a store area root owns (see package
//     generations).
//   - A home whose state cannot be read safely, or where a path is in the
//     way, is held (held.go): its conflicts are reported, its files left as
//     they are (carried into the new generation), and everything else
//     still switches; plan, switch and rollback exit with status 3 (a
//     rollback that holds a home records a new generation: see held.go).
//     --fail-fast refuses the whole switch or rollback instead.
//   - An ordinary user switching their own home needs no boundary: nothing
//     is confined and absolute links on the way are followed as before.
package files
