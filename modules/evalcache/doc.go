// Package evalcache keeps evaluated configurations between runs, so
// that a configuration none of whose inputs changed is not loaded,
// parsed and evaluated again (issue 17: an unchanged configuration
// evaluates in a few milliseconds).
//
// An entry is what a command read of one evaluation (its Outputs, such as
// config.json, and the warnings it printed), filed under a Key: the entry
// module, the host facts the evaluation sees (host.os, .arch, .name,
// .user, .distro) and the question asked (eval --json of a path, check,
// the configuration a switch plans). With it the entry records everything
// the evaluation read, through the Recorder that modules.Options takes as
// its Reader and Getenv:
//
//   - every module and every file a file() call read: path, stat
//     signature (size, mtime, ctime, inode, device, mode) and SHA-256 of
//     the content; a file() of a missing file records its absence;
//   - the .hcl files of every imported folder, so a module added to a
//     folder is seen, and the folder's stat signature;
//   - every environment variable env() read, with its value;
//   - the build ID of the gocfg binary (BuildID), since the built-in
//     modules and the evaluator are part of it.
//
// Get trusts an entry only when all of that still holds. A file whose
// signature is unchanged is not read; one whose signature changed, or
// was taken less than a second after the file last changed (git's
// "racily clean" rule: a write in the same timestamp tick leaves the
// signature as it was), is read and hashed again, and when its content
// is the same the entry is rewritten with the new signature. An
// imported folder is not listed again while its signature is unchanged
// and settled (a name added, removed or renamed in it moves its mtime and
// ctime), unless a *.hcl name in it is a link, whose target could turn
// from a folder into a file without the folder changing. The stats of a
// hit are made from each file's open folder, on every processor. An
// evaluation that read something the cache cannot check again (a file
// that could not be read for another reason than not existing) is not
// kept, nor one with errors.
//
// Entries are files in one folder, private to the user (0700 folder,
// 0600 files, both owned by the effective user; anything else makes Get
// and Put do nothing), written to a temporary file and renamed into
// place. A damaged entry (checksum, format), one written by another
// binary or for another key, is ignored and replaced by the next Put;
// nothing in the cache is ever an error. Get maps the entry file into
// memory instead of reading it (on Linux and macOS: the file system's
// cached pages, no copy), and the Outputs it returns are read from that
// mapping until the Entry's Close; a file truncated under the mapping
// while Get reads it is a miss, not a crash (gocfg never truncates an
// entry: it replaces it, and the mapping keeps the replaced file). The folder keeps the MaxEntries
// most recently written entries.
package evalcache
