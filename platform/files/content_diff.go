package files

import (
	"bytes"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/contentdiff"
	"github.com/gocfg/gocfg/platform/recdiff"
)

// addContentDiffs gives every file whose content this plan changes,
// creates or removes the diff of its content (Change.Diff), from what is
// there now to what the new generation stores: the live file when it is
// a regular file, else the current generation's stored content when the
// live path is gocfg's link to it; the new content from the plan's
// Contents (or, for a rollback, the generation made current). A created
// file's diff is all of its new content added, a removed file's all of
// its current generation's content removed (see wholeDiff). Each content
// is checked against its recorded hash: a diff is shown of what will
// really be written or removed, or not at all. A private file (see
// privateFile) or content that looks secret is only said to change. It
// runs once the plan is made, reads at most two files of
// contentdiff.MaxSize per change, and leaves a change without a diff
// when a side cannot be read.
func (pl *planner) addContentDiffs() {
	if !slices.ContainsFunc(pl.part.Changes, func(ch platform.Change) bool { return ch.Kind == "file" && !ch.Hidden }) {
		return // nothing to show (a no-op switch): no maps of every file
	}
	files := make(map[string]*File, len(pl.records.Files))
	for _, f := range pl.records.Files {
		files[fileID(f.Root, f.Rel)] = f
	}
	applied := make(map[string]*File, len(pl.applied.Files))
	for _, a := range pl.applied.Files {
		applied[fileID(a.Root, a.Rel)] = a
	}
	// What the new generation stores for f, built for the files shown
	// only (a plan of 10,000 new files shows 100), not for all of them.
	entry := func(f *File) generations.Entry {
		if pl.part.Contents == nil {
			return generations.Entry{}
		}
		if es := pl.l.entriesOf(f, pl.appliedFiles[f.Path]); len(es) == 1 {
			return es[0]
		}
		return generations.Entry{}
	}
	shown, cut := 0, 0
	for i := range pl.part.Changes {
		ch := &pl.part.Changes[i]
		if ch.Kind != "file" || ch.Hidden {
			continue
		}
		f, a := files[ch.ID], applied[ch.ID]
		want := ch.Action == platform.Update && hasContent(f) || ch.Action == platform.Create && hasContent(f) ||
			// Without ops the file is already gone: nothing is removed.
			ch.Action == platform.Delete && len(ch.Ops) > 0 && hasContent(a) && pl.l.Current > 0
		if !want {
			continue
		}
		if shown == MaxContentDiffs {
			cut++
			continue
		}
		shown++
		switch ch.Action {
		case platform.Update:
			ch.Diff = pl.contentDiff(f, entry(f))
		case platform.Create:
			ch.Diff = pl.createdDiff(f, entry(f))
		default:
			ch.Diff = pl.deletedDiff(a)
		}
	}
	if cut > 0 {
		pl.part.Notes = append(pl.part.Notes, fmt.Sprintf("files: the content of %d more files that change is not shown (a plan shows at most %d files' content)", cut, MaxContentDiffs))
	}
}

// MaxContentDiffs bounds the files whose content a plan shows: a first
// switch of 10,000 dotfiles would otherwise read and print every one of
// them (1.7 MB, and half the switch's time).
const MaxContentDiffs = 100

// hasContent reports whether f is a single file whose content gocfg
// stores (not a live link, not a linked folder).
func hasContent(f *File) bool {
	return f != nil && !f.Folder && (f.Method == "copy" || f.Method == "link")
}

// contentDiff is the diff of f's content from what is at its path now to
// what entry e (or the generation made current) holds; nil when the
// content does not change or a side cannot be read. A private file's
// contents are hashed, never read.
func (pl *planner) contentDiff(f *File, e generations.Entry) *contentdiff.Diff {
	l := pl.l
	a := pl.appliedFiles[f.Path]
	lv, err := readLive(l.Sys, f.Path)
	if err != nil {
		return nil
	}
	// What is there now: a regular file, or gocfg's link to the current
	// generation's stored content.
	var oldPath, oldHash string
	private := privateFile(f)
	switch {
	case lv.kind == isFile:
		if oldHash, err = lv.contentHash(l.Sys, f.Path); err != nil {
			return nil
		}
		oldPath = f.Path
		private = private || lv.info.Mode().Perm()&0o004 == 0
	case lv.kind == isLink && a != nil && hasContent(a) && lv.target == a.Target && l.Current > 0:
		oldPath, oldHash = l.Store.FilePath(l.Current, a.Root, a.Rel), a.Hash
		private = private || privateFile(a)
	default:
		return nil
	}
	switch {
	case oldHash == f.Hash:
		return nil // only the mode, the owner or the method changes
	case private:
		return contentdiff.Hide(contentdiff.Private)
	}
	old, err := readAtMost(l.Sys.Open, oldPath)
	if err == errDiffTooLarge {
		return contentdiff.Hide(contentdiff.TooLarge)
	}
	if err != nil || !sameHash(old, oldHash) {
		return nil
	}
	new, err := pl.newContent(f, e)
	if err == errDiffTooLarge {
		return contentdiff.Hide(contentdiff.TooLarge)
	}
	if err != nil {
		return nil
	}
	return ContentDiff(old, new)
}

// newContent reads f's content as the new generation stores it: from
// entry e of the plan's Contents, or from the generation made current
// (a rollback); checked against f's hash.
func (pl *planner) newContent(f *File, e generations.Entry) ([]byte, error) {
	l := pl.l
	open := e.Open
	switch {
	case e.Have != "":
		open = l.storeOpener(e.Have)
	case open == nil && l.To > 0:
		open = l.storeOpener(l.Store.FilePath(l.To, f.Root, f.Rel))
	case open == nil:
		return nil, errDiffNoContent
	}
	b, err := readAtMost(func(string) (io.ReadCloser, error) { return open() }, f.Path)
	if err != nil {
		return nil, err
	}
	if !sameHash(b, f.Hash) {
		return nil, errDiffChanged
	}
	return b, nil
}

// ContentDiff is the diff from old to new as plans and generations
// diffs show it: hidden when either looks like it holds a secret (see
// recdiff.LooksSecret), else contentdiff.Compare's (binary and large
// contents hidden); nil when they are equal.
func ContentDiff(old, new []byte) *contentdiff.Diff {
	if bytes.Equal(old, new) {
		return nil
	}
	if len(old) <= contentdiff.MaxSize && len(new) <= contentdiff.MaxSize && !contentdiff.IsBinary(old) && !contentdiff.IsBinary(new) &&
		(recdiff.LooksSecret("", string(old)) || recdiff.LooksSecret("", string(new))) {
		return contentdiff.Hide(contentdiff.Sensitive)
	}
	return contentdiff.Compare(old, new)
}

// ContentDiffs is the content diff of every file both a and b record
// with different contents (by ID), from a's stored content (read with
// ca) to b's, and of every file only one of them records (all lines
// added or removed, see wholeDiffs): what `gocfg generations diff` shows
// under those files. Private files are only said to change; a file a
// side cannot read, or whose stored content no longer has its recorded
// hash, has no diff.
func ContentDiffs(a, b *Records, ca, cb recdiff.Content) map[string]*contentdiff.Diff {
	if ca == nil || cb == nil {
		return nil
	}
	before := make(map[string]*File, len(a.Files))
	for _, f := range a.Files {
		before[f.Path] = f
	}
	diffs := map[string]*contentdiff.Diff{}
	for _, f := range b.Files {
		old := before[f.Path]
		if !hasContent(f) || !hasContent(old) || old.Hash == f.Hash {
			continue
		}
		if privateFile(f) || privateFile(old) {
			diffs[ID(f)] = contentdiff.Hide(contentdiff.Private)
			continue
		}
		ob, err := readContent(ca, old)
		if err != nil {
			continue
		}
		nb, err := readContent(cb, f)
		if err != nil {
			continue
		}
		if d := ContentDiff(ob, nb); d != nil {
			diffs[ID(f)] = d
		}
	}
	wholeDiffs(diffs, a, b, ca, cb) // content_diff_whole.go
	return diffs
}

// readContent reads f's content as a generation stored it, and checks
// it against the recorded hash.
func readContent(c recdiff.Content, f *File) ([]byte, error) {
	if !recdiff.Local(f.Root, f.Rel) {
		return nil, errDiffNotLocal
	}
	b, err := c(f.Root, f.Rel)
	if err != nil {
		return nil, err
	}
	if !sameHash(b, f.Hash) {
		return nil, errDiffChanged
	}
	return b, nil
}

type diffError string

func (e diffError) Error() string { return string(e) }

const (
	errDiffNotLocal  diffError = "not in a generation's files"
	errDiffChanged   diffError = "stored content differs from its record"
	errDiffTooLarge  diffError = "too large to compare"
	errDiffNoContent diffError = "no content to read"
)

// readAtMost reads the file p opens, up to contentdiff.MaxSize bytes: a
// larger file is an error.
func readAtMost(open func(string) (io.ReadCloser, error), p string) ([]byte, error) {
	r, err := open(p)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, contentdiff.MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > contentdiff.MaxSize {
		return nil, errDiffTooLarge
	}
	return b, nil
}

func sameHash(b []byte, hash string) bool { return hash != "" && hashBytes(b) == hash }

// privateFile reports whether f's content is not for everyone's eyes: a
// copy that others may not read, one whose source others may not read,
// a file in a private store area, or one under a path that holds keys
// and credentials.
func privateFile(f *File) bool {
	if f.Private || f.Method == "copy" && f.Mode != 0 && f.Mode.Perm()&0o004 == 0 {
		return true
	}
	return f.Root == etcPrivateRoot || privatePath(f.Root, f.Rel)
}

// privateHome are the names in a home folder (at any depth) whose files
// hold keys or credentials.
var privateHome = map[string]bool{
	".ssh": true, ".gnupg": true, ".aws": true, ".azure": true, ".kube": true, ".docker": true,
	".password-store": true, ".netrc": true, ".pgpass": true, ".git-credentials": true,
	".authinfo": true, ".authinfo.gpg": true, ".vault-token": true, ".npmrc": true, ".pypirc": true,
	"credentials": true, "secrets": true, "private": true,
}

// privateEtc are the paths under /etc (and their contents) that hold
// keys, passwords or who may do what, and that only root reads (sudoers
// is 0440). /etc/ssh is not among them: sshd's configuration is
// world-readable, and a change to who may log in is what a plan must
// show; its host keys are private (sshHostKey).
var privateEtc = []string{"shadow", "gshadow", "shadow-", "gshadow-", "sudoers", "sudoers.d", "ssl/private", "wireguard", "NetworkManager/system-connections", "ipsec.secrets", "krb5.keytab"}

// sshHostKey reports whether rel under /etc is one of sshd's private
// host keys (ssh/ssh_host_ed25519_key, not its .pub).
func sshHostKey(rel string) bool {
	name, ok := strings.CutPrefix(rel, "ssh/")
	return ok && strings.HasPrefix(path.Base(name), "ssh_host_") && !strings.HasSuffix(name, ".pub")
}

// privatePath reports whether rel under root is a path that holds keys
// or credentials (~/.ssh, ~/.aws, /etc/shadow, /etc/ssl/private, …).
func privatePath(root, rel string) bool {
	if userOf(root) == "" {
		if sshHostKey(rel) {
			return true
		}
		for _, p := range privateEtc {
			if rel == p || strings.HasPrefix(rel, p+"/") {
				return true
			}
		}
	}
	for _, name := range strings.Split(rel, "/") {
		if privateHome[name] || strings.HasPrefix(name, "id_") && !strings.HasSuffix(name, ".pub") || path.Ext(name) == ".key" || path.Ext(name) == ".pem" {
			return true
		}
	}
	return false
}
