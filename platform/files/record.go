package files

import (
	"io/fs"
	"slices"
	"strings"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
)

// A File is one managed path: as desired, and as a generation records it.
type File struct {
	// Path is the machine path of the file.
	Path string `json:"path"`
	// Root is the files root it belongs to: "etc" or "home/<user>"; Rel is
	// its slash path under that root's folder.
	Root string `json:"root"`
	Rel  string `json:"rel"`
	// Method is "link", "copy" or "live".
	Method string `json:"method"`
	// Hash is the content's sha256 (link, copy); for a linked folder, the
	// hash of its listing.
	Hash string `json:"hash,omitempty"`
	// Folder: a link to a whole folder, whose files are Files.
	Folder bool      `json:"folder,omitempty"`
	Files  []Content `json:"files,omitempty"`
	Exec   bool      `json:"exec,omitempty"`
	// Mode is the permission of a copied file.
	Mode fs.FileMode `json:"mode,omitempty"`
	// UID and GID own a copied file and the links (-1: left alone).
	UID int `json:"uid"`
	GID int `json:"gid"`
	// Target is the link's target as written (link, live).
	Target string `json:"target,omitempty"`
	// Source is the host path the content came from ("" for text).
	Source string `json:"source,omitempty"`
	// Sig is Source's stat signature when Hash was computed.
	Sig *Sig `json:"sig,omitempty"`
	// Private: Source is not for everyone to read (its mode denies
	// others, as a 0600 file's or /etc/shadow's does): its content is
	// never shown, in a plan or in generations diff, as a private
	// copy's is not. Before, only the target's name or a copy's mode
	// hid it (tester U: a 0600 source linked as ~/.config/app/token was
	// printed by plan).
	Private  bool   `json:"private,omitempty"`
	Force    bool   `json:"force,omitempty"`
	OnChange string `json:"on_change,omitempty"`
	// Home is the owner's home folder (for on_change), "" for /etc.
	Home string `json:"home,omitempty"`
	// Backup is where gocfg moved what was at Path before managing it; it
	// is put back when Path stops being managed.
	Backup string `json:"backup,omitempty"`
	// BackupOf is what was moved to Backup (its content, mode and owner,
	// or a link's target), so that a rollback to this generation, after
	// a later one put the backup back, moves that same file there again
	// instead of finding it in the way.
	BackupOf *Original `json:"backup_of,omitempty"`
	// Original is what Path held before gocfg first managed it, put back
	// when gocfg lets go of it (see originals.go).
	Original *Original `json:"original,omitempty"`

	// text is the content of a text file (not recorded: the generation's
	// store has it).
	text []byte
	// kept is the source's content as the plan read and hashed it, when
	// small (hash.go's keepBudget): the store copies it from memory
	// instead of opening the source again. Not recorded.
	kept []byte
	// check is the command that validates new content (check.go), and
	// option the option that defines the file; madeBy, for a file a
	// module makes, the option that makes it (home.alice.programs.bash),
	// the user's line a conflict points at. None is recorded.
	check, option, madeBy string
	// recordedBackup and recordedBackupOf are a rollback's Backup and
	// BackupOf, as the generation recorded them (fromRecords clears
	// Backup); backupAgain says the plan moves what is in the way back
	// to recordedBackup, being what that generation moved there.
	recordedBackup   string
	recordedBackupOf *Original
	backupAgain      bool
}

// A Content is one file inside a linked folder.
type Content struct {
	Rel  string `json:"rel"` // under the folder
	Hash string `json:"hash"`
	Exec bool   `json:"exec,omitempty"`
	Sig  *Sig   `json:"sig,omitempty"`
	// kept is as File's.
	kept []byte
}

// A Dir is a folder gocfg created for managed files.
type Dir struct {
	Path string      `json:"path"`
	Root string      `json:"root"`
	Rel  string      `json:"rel"`
	Mode fs.FileMode `json:"mode"`
	UID  int         `json:"uid"`
	GID  int         `json:"gid"`
}

// Records are the provider's part of resources.json.
type Records struct {
	Files []*File `json:"files"`
	Dirs  []*Dir  `json:"dirs"`
}

var _ platform.LongRecords = (*Records)(nil)

var _ platform.PathRecords = (*Records)(nil)

// RecordsPath reports whether r records a file at machine path p (the
// plan's records are sorted by path: finishRecords).
func (r *Records) RecordsPath(p string) bool {
	_, found := slices.BinarySearchFunc(r.Files, p, func(f *File, p string) int { return strings.Compare(f.Path, p) })
	return found
}

// WithoutList is r with Files nil, or empty when empty is set; with
// ListLen and ListPart, platform.EncodeRecords writes the files a part at
// a time (platform.LongRecords).
func (r *Records) WithoutList(empty bool) any {
	c := *r
	c.Files = nil
	if empty {
		c.Files = []*File{}
	}
	return &c
}

// ListLen is the number of files.
func (r *Records) ListLen() int { return len(r.Files) }

// ListPart returns the files lo to hi.
func (r *Records) ListPart(lo, hi int) any { return r.Files[lo:hi] }

// A Sig identifies a version of a source file without reading it.
type Sig struct {
	Size  int64  `json:"size"`
	Mtime int64  `json:"mtime"`
	Ctime int64  `json:"ctime"`
	Ino   uint64 `json:"ino"`
}

// DecodeRecords reads the provider's records (nil data: none). Their
// strings refer to data (platform.DecodeRecordsSharing), which must not
// be modified while they are used.
func DecodeRecords(data json.RawMessage) (*Records, error) {
	return platform.DecodeRecordsSharing[Records]("files", data)
}
