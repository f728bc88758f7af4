package files

import (
	"io/fs"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gocfg/gocfg/internal/filestat"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
)

// A site is the machine as one plan of files sees it: with the accounts
// the providers before it in the plan create (platform.Facts).
type site struct {
	*machine.Machine
	// newHomes names the users this plan creates whose home useradd
	// makes: a missing home of theirs is not a conflict, and their files
	// wait for the account (Deps on user:<name>).
	newHomes map[string]bool
	// installs: the plan installs packages (Facts.Installs), whose
	// postinsts run before the /etc files are written (after.go).
	installs bool
	// released maps the paths another provider removes its file from
	// in this plan to that change (Facts.Released: a unit that became
	// an environment.etc file, see platform/handover.go): a desired
	// file there that gocfg's files did not record takes the path as
	// empty and is made after that change.
	released map[string]string
	// etc is where /etc's files go (etcDir), once looked up.
	etc string
}

// etcDir is the folder the /etc files go in: /etc, or where /etc leads
// when it is root's link in a folder of root's to a folder, as on every
// Mac (/etc → private/etc). Following it is as safe as the folder
// itself, since only root can change it; making the files there, rather
// than through it, keeps the links to the store right (relative to the
// folder they are in). Tester O: every /etc file of a Mac-shaped tree
// was refused with "the home folder is a symbolic link". The resource
// IDs and messages still say /etc.
func (l *site) etcDir() string {
	if l.etc == "" {
		l.etc = "/etc"
		if t, ok := rootsLink(l.Sys, "/etc"); ok {
			l.etc = t
		}
	}
	return l.etc
}

// rootsLink returns where the link p leads when p and the folder it is
// in are root's (and that folder is writable by no one else), and it
// leads to a folder; false otherwise.
func rootsLink(sys system.System, p string) (string, bool) {
	fi, err := sys.Lstat(p)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		return "", false
	}
	if u, _ := filestat.Owner(fi); u != 0 {
		return "", false
	}
	parent, err := sys.Lstat(filepath.Dir(p))
	if err != nil || !parent.IsDir() || parent.Mode().Perm()&0o022 != 0 {
		return "", false
	}
	if u, _ := filestat.Owner(parent); u != 0 {
		return "", false
	}
	t, err := sys.Readlink(p)
	if err != nil || t == "" {
		return "", false
	}
	if !filepath.IsAbs(t) {
		t = filepath.Join(filepath.Dir(p), t)
	}
	t = filepath.Clean(t)
	if fi, err := sys.Lstat(t); err != nil || !fi.IsDir() || t == "/" {
		return "", false
	}
	return t, true
}

// newSite is m with facts: its Accounts are the plan's when the facts
// have them.
func newSite(m *machine.Machine, facts platform.Facts) *site {
	return &site{Machine: facts.On(m), newHomes: facts.NewHomes, installs: len(facts.Installs) > 0, released: facts.Released}
}

// rootDir is the machine folder of a files root.
type rootDir struct {
	Root string // "etc" or "home/<user>"
	Dir  string // machine path
	User string // "" for etc
	UID  int    // owner of created folders (-1: leave)
	GID  int
	Mode uint32 // mode of the root folder when gocfg creates it
}

func homeRoot(user string) string { return "home/" + user }

// The files roots of /etc: etc-private holds the contents of copies that
// only their owner may read (mode without o+r), in a store area only root
// can enter.
const (
	etcRoot        = "etc"
	etcPrivateRoot = "etc-private"
)

// userOf returns the user of a "home/<user>" root, "" for etc.
func userOf(root string) string {
	u, ok := strings.CutPrefix(root, "home/")
	if !ok {
		return ""
	}
	return u
}

// display shows a path in IDs and messages: ~alice/.zshrc, /etc/motd.
func display(root, rel string) string {
	if u := userOf(root); u != "" {
		if rel == "" {
			return "~" + u
		}
		return "~" + u + "/" + rel
	}
	if rel == "" {
		return "/etc"
	}
	return "/etc/" + rel
}

func fileID(root, rel string) string { return "file:" + display(root, rel) }
func dirID(root, rel string) string  { return "dir:" + display(root, rel) }

// EtcFileID is the resource ID of /etc/<rel> (environment.etc."<rel>"),
// for the providers whose changes wait for it.
func EtcFileID(rel string) string { return fileID(etcRoot, rel) }

// HomeFileID is the resource ID of ~user/<rel> (home.<user>.files."<rel>").
func HomeFileID(user, rel string) string { return fileID(homeRoot(user), rel) }

// linkTarget is what a `link` file points at: the file in the current
// generation, absolute, or relative to the link's folder under --root.
func (l *site) linkTarget(p, root, rel string) string {
	return l.linkTargetIn(filepath.Dir(p), root, rel)
}

// linkTargetIn is linkTarget for a link in folder dir (the real folder,
// when the path goes through a symlinked one).
func (l *site) linkTargetIn(dir, root, rel string) string {
	t := l.Store.CurrentFilePath(root, rel)
	if !l.Offline {
		return t
	}
	return relTarget(dir, t, "")
}

// linkTargetUnder is linkTarget for the file at p whose content is
// under+"/"+name in the store: under is the CurrentFilePath of its
// folder, name a clean slash path (no empty, "." or ".." segment), so
// that this is filepath.Join's path, without its Clean (a recursive
// folder's files, 10,000 in a switch).
func (l *site) linkTargetUnder(p, under, name string) string {
	if !l.Offline {
		return under + "/" + name
	}
	return relTarget(filepath.Dir(p), under, name)
}

// cleanName reports whether slash path name has no empty, "." or ".."
// segment (filepath.Join would change it).
func cleanName(name string) bool {
	for seg := range strings.SplitSeq(name, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

// relTarget is t (+"/"+name, when name is not "") as a path relative to
// dir: up from the link's folder to /, then down to t; both are absolute
// and clean, so this is exact and cheaper than filepath.Rel. One string
// (strings.Repeat and concatenations made several, for every link of a
// switch).
func relTarget(dir, t, name string) string {
	up := strings.Count(dir, "/")
	if dir == "/" {
		up = 0
	}
	var b strings.Builder
	b.Grow(3*up + len(t) + 1 + len(name))
	for range up {
		b.WriteString("../")
	}
	b.WriteString(strings.TrimPrefix(t, "/"))
	if name != "" {
		b.WriteByte('/')
		b.WriteString(name)
	}
	return b.String()
}

// asidePath is where a file in the way waits until the switch commits.
func (l *site) asidePath(p string) string { return AsidePath(p, l.To) }

// cleanRel checks a target: a relative slash path without "..", "." or
// empty segments, of valid UTF-8 without control characters (C0, DEL,
// C1: a target from someone else's repository must not be able to
// rewrite a terminal showing the plan, or break a line-based script).
// It returns the cleaned form or a reason.
func cleanRel(target string) (string, string) {
	if target == "" {
		return "", "the target is empty"
	}
	if !utf8.ValidString(target) {
		return "", "the target is not valid UTF-8"
	}
	for i, r := range target {
		if r < 0x20 || r >= 0x7f && r < 0xa0 {
			return "", "the target contains the control character " + strconv.QuoteRune(r) + " (at byte " + strconv.Itoa(i) + "); file names may not hold control characters"
		}
	}
	if strings.HasPrefix(target, "/") || filepath.IsAbs(target) {
		return "", "the target is absolute; write it relative to the folder"
	}
	for seg := range strings.SplitSeq(target, "/") {
		if seg == ".." {
			return "", "the target uses \"..\" and would leave the folder"
		}
	}
	c := path.Clean(target)
	if c == "." {
		return "", "the target is the folder itself"
	}
	return c, ""
}
