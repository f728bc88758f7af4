// Package generations keeps the numbered, immutable generations of a
// machine's configuration and the content store they share, and flips
// `current` atomically (DESIGN.md §4).
//
// Place in the pipeline: last. `gocfg switch` writes the new generation
// with [Store.Write] before applying anything, and flips current to it
// with [Store.Flip] only once the apply succeeded; `gocfg rollback` flips
// back; `gocfg generations` lists, compares ([Store.TreeHash]), deletes
// and collects ([Store.GC]). Links made in home folders point through
// current (`~/.zshrc -> <state>/current/files/home/alice/.zshrc`, see
// [Store.CurrentFilePath]), so one flip changes every managed file at
// once.
//
// # Layout
//
// Under the state folder (/var/lib/gocfg as root,
// ${XDG_STATE_HOME:-~/.local/state}/gocfg for a user):
//
//	generations/<N>/       one generation, immutable once written
//	  meta.json            Meta (0644; 0600 in a user's own state)
//	  config.json          the merged configuration (0600)
//	  resources.json       the resources as applied (0600)
//	  files/               read-only; one symlink per files root into the store:
//	    etc -> ../../../store/system/<treehash>
//	    home/alice -> ../../../../store/home-alice/<treehash>
//	current -> generations/<N>
//	store/<area>/<treehash>/   tree objects, shared by every generation
//	store/key              the key files roots' objects are named with (0600)
//	store/signatures       the signature cache of stored files (0600)
//	store/settled          the files provider's settled-folders cache (0600)
//	store/sources          the files provider's source-signatures cache (0600)
//	store/.tmp-edited/     bytes of stored files changed in place, kept
//	generations/.tmp-*     a generation being written, or being deleted
//	                       (.tmp-deleting-<N>): never a generation
//	journal.json, lock     written by other packages; paths given here
//
// Every path is a machine path handed to a [system.System], so `--root`
// relocates the whole store and `--dry-run` records what a write would do
// (a dry run of Write or GC succeeds and changes nothing; Flip refuses a
// generation that a dry run did not really write). Every symlink the
// store makes is relative, so the tree is right inside a root and when
// inspected from outside it.
//
// # Tree objects and structural sharing
//
// A tree object is one folder of a files tree, stored read-only (0555)
// as store/<area>/<hash>: its files as real files (0444, or 0555 when
// executable, owned by the area's owner) and one symlink per subfolder to
// that subfolder's object in the same area (`sub -> ../<hash>`). Its hash
// is the sha256 of its sorted listing, one line per name:
//
//	f <0444|0555> <content sha256> <name>
//	d <tree hash> <name>
//
// so identical folders are one object, as git trees are (the object of
// a files root is named with the store's key instead, HMAC-SHA256 of its
// area and tree hash: the root links are world-readable, and a plain name let
// anyone confirm a guess of a private file's content; see root_name.go),
// and a
// generation that changes one file out of 10,000 writes only the objects
// along that file's path: the folders holding it, up to its files root.
// The files of a new object that are unchanged are hard-linked from the
// previous generation when the caller says where they are
// ([Entry.Have]); copied content is checked against its hash, and so is
// linked content (see "Stored content changed in place"). Earlier
// versions listed an executable file as "f 0455 …"; objects named from
// such a listing still verify, and new generations name them anew.
//
// A user's files live in that user's area (store/home-<user>). When root
// switches, root owns the area and everything in it, and the user alone
// reads it: the area folder carries the POSIX ACL user:<uid>:r-x (mask
// r-x, group and others nothing; where the file system has no ACLs, the
// folder is given to the user's group with mode 0750, if that group lets
// in no other account: else the write fails and says why). The user can
// therefore neither write, rename nor chmod what the links in their home
// point at, plant objects whose names gocfg would trust, nor reach the
// temporary folders objects are written in; other users read nothing.
// An ordinary user's own store is theirs (0700). The system area is 0755.
// Hard links are only made from files with the same mode and owner, so
// linking never gives away another area's file.
//
// An area owned by anyone else than the area's owner (a store written by
// an older gocfg, when areas were their users', or anything planted) is
// not trusted: Write renames it aside, confines it (no link in it is
// followed), and copies into a fresh area only the objects that verify —
// regular files of mode 0444 or 0555 and subtree links ../<hash> whose
// listing hashes to the object's name, every subtree verified too — as
// new files hashed while they are copied. The others are dropped, written
// again from the entries when a generation needs them, and reported
// through Store.Warn. GC leaves alone, with a warning, links that are not
// subtree links.
//
// # Guarantees
//
//   - Write checks every entry before writing anything: relative slash
//     paths without empty, "." or ".." segments or newlines, no duplicate,
//     no file that is also a folder, a store area for each files root,
//     and roots that do not nest.
//   - An object or a generation appears complete or not at all: it is
//     written into a temporary folder (.tmp-*) that is renamed into place,
//     and the file system is synced once (syncfs) before the generation's
//     rename. An existing object is reused only after it is checked
//     against the listing the new generation gives it (see below); one
//     that differs is written again under its name.
//   - current flips with the rename of a temporary symlink, and the file
//     system is synced after it.
//   - A generation written with NewGeneration.FilesOf has the files tree
//     of an existing one (its roots point at the same objects, all of
//     which must be in the store) and writes no object: a rollback that
//     cannot return to a generation as recorded writes one.
//   - Delete never removes the current generation; objects are removed
//     only by GC, which keeps every object any generation reaches and
//     clears the temporary folders interrupted writes left.
//   - A generation disappears whole: Delete renames its folder to
//     generations/.tmp-deleting-<N>, syncs, and then removes that folder;
//     what an interrupted removal leaves is no generation, and the next
//     Delete or GC removes it. A generation without its resources.json
//     (half removed by an older gocfg, or by hand) is damaged: [Store.Meta]
//     says so, so that it is never listed as one to roll back to.
//
// # Stored content changed in place
//
// Stored files are read-only, but a store is not always out of its
// users' reach: an ordinary user switching their own home owns it, so
// `chmod u+w` and an edit through a link (vim's :w!) change a stored
// file in place, and every generation that uses its object, or a hard
// link to it, with it (root can change anything anywhere). Such an
// object's listing no longer hashes to its name. Therefore:
//
//   - Write checks every existing object a new generation reuses against
//     that generation's listing of it (names, modes, content hashes,
//     subtree links), and a file it would hard-link (Entry.Have) against
//     the entry's hash. An object that differs is written again under its
//     name from the entries (Open gives the configured content), after
//     the bytes of its changed files are copied to
//     store/.tmp-edited/<their sha256> (EditedPath; GC removes the folder
//     with the other temporary ones), and renamed into place over the
//     damaged one, which is renamed aside and removed. It is reported
//     through Warn. A changed file is never linked into a new object.
//   - [Store.CheckFiles] tells the files provider which stored files of
//     the current generation changed, for every plan of an ordinary user
//     and, for root, of the links of /etc (root writes through them), so
//     that the plan shows them and the switch keeps the edits.
//   - [Store.Verify] checks every object the generations reach (gocfg
//     store verify, and rollback for its target), [Store.Repair] writes
//     damaged objects again under their names when the listing they
//     should have, from what verified and what the generations recorded,
//     hashes to the name.
//
// Checking must be cheap enough for every plan, so it rests on a
// signature cache, store/signatures: one line per stored file's inode,
// "<inode> <size> <mtime ns> <ctime ns> <sha256>", the content hash the
// file had when it had that stat signature. A file is read only when its
// signature is not the one recorded (an edit changes the modification
// and change times, a chmod the change time; neither can be set back by
// a user). Subtree links have lines too, with the hash of the subtree
// they lead to: a link's target cannot change in place, only a new link
// (a new inode, a new change time) can take its name, so Write reads a
// link only when the cache does not know its signature. The cache lives
// in the store, never in a generation, which is immutable: it is written
// through the System (whole, atomically, 0600, or, while it holds few
// stale lines, by appending the lines that changed, a later line of an
// inode replacing an earlier one; a line an interrupted append cut short
// is skipped) by Write, with every file it writes or links, by GC, which
// forgets the files it removes, by Repair, and by [Store.SaveSignatures];
// what CheckFiles and Verify read goes with the next of these in the
// same process. They write nothing themselves, so gocfg plan and status,
// which must change nothing, can check. It is only a cache: a missing or
// damaged one is empty, and every file is then read once. It is as trustworthy as the
// store it describes: root's when root switches, the user's own in an
// ordinary user's store, where it guards against accidents, not against
// that user.
//
// The settled-folders cache, store/settled, is the files provider's
// (platform/files/settled.go): per folder of managed links, "<dev> <ino>
// <mtime ns> <ctime ns> <digest> <quoted folder>", the folder's
// signature when every managed link in it was found as the current
// generation records it. It is kept like the signature cache ([SettledFolder],
// [Store.Settled], [Store.Settle]; written whole by [Store.SaveSettled],
// which a switch with nothing to do calls, and with the signature cache),
// and is as much a cache: missing, damaged or unknown lines are links
// read again.
//
// A record file that is not what gocfg wrote (empty, only NUL bytes,
// truncated, not JSON, not the shape gocfg writes, a meta.json about
// another generation) is a [DamagedError] naming it: [DecodeRecord]
// checks meta.json here, resources.json and the journal in platform.
// Its zero values are never taken for what it says.
//
// A Store does no locking of its own: callers hold [Store.Lock] (one gocfg
// at a time) around Write, Flip, Delete and GC.
package generations
