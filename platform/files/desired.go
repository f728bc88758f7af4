package files

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/users"
)

// desired is what the configuration asks for, resolved.
type desired struct {
	files    []*File
	roots    map[string]rootDir
	contents func() []generations.Entry
	areas    map[string]generations.Area
	notes    []string
	// privateDirs are the "<root>\x00<rel>" of the home folders that
	// directly hold a private copy (built by folderMode).
	privateDirs map[string]bool
}

// homeOption is the option path of home.<user>.files."<target>": the
// user quoted as optpath writes it when it is not an identifier
// (home."j.doe"), the target always (home.alice.files.".zshrc").
func homeOption(user, target string) string {
	return "home." + optpath.Segment(user) + ".files." + strconv.Quote(target)
}

// optionAt is where hf, home.<user>.files.<target>, is set, for errors
// to name: the option a module's home_files entry gives, else its own.
func (hf HomeFile) optionAt(user, target string) string {
	if hf.option != "" {
		return hf.option
	}
	return homeOption(user, target)
}

func etcOption(target string) string {
	return fmt.Sprintf("environment.etc.%s", strconv.Quote(target))
}

// HomeOf is a user's home folder: users.<name>.home, else the machine's
// (m.Home). Other providers that write into homes (units) call it too.
// An ordinary user's run changes no account (users needs root), so her
// home is her account's, or her $HOME when users.<name>.home names it
// (an account whose home in passwd is not where she lives), but not
// another folder users.<name>.home names (tester R: it moved her
// dotfiles into another user's home that she could write to).
func HomeOf(m *machine.Machine, cfg *Config, user string) string {
	if u, ok := cfg.Users[user]; ok && u.Home != nil && *u.Home != "" {
		h := filepath.Clean(*u.Home)
		if m.Privileged || m.Offline || user == m.User && m.HomeEnv != "" && h == filepath.Clean(m.HomeEnv) {
			return h
		}
	}
	return filepath.Clean(m.Home(user))
}

// unusedHome says when users.<name>.home is not where an ordinary
// user's run puts her files ("" when it is, or is unset).
func unusedHome(cfg *Config, user, home string) string {
	u, ok := cfg.Users[user]
	if !ok || u.Home == nil || *u.Home == "" || filepath.Clean(*u.Home) == home {
		return ""
	}
	return fmt.Sprintf("users.%s.home is %s, neither $HOME nor the account's home, and changing the account needs root: her files go in %s, the account's home", optpath.Segment(user), *u.Home, home)
}

func (l *site) fromConfig(cfg *Config, cache *hashCache, applied map[string]*File, now time.Time) (*desired, error) {
	d := &desired{roots: map[string]rootDir{}, areas: map[string]generations.Area{}}
	seen := map[string]string{} // path → option that defines it
	// The options of the entries that are recursive folders of several
	// files, for the hint of a path two entries define.
	folders := map[string]bool{}
	// Every file's error, so that the user sees them all at once; a
	// file in error is left out of what the others are checked against.
	var errs []error
	// add adds the files spec defines (a folder's, when recursive),
	// refusing one another option defines too.
	add := func(spec fileSpec) error {
		fs, err := l.expand(spec, cache, now)
		if err != nil {
			return err
		}
		if len(fs) > 1 || len(fs) == 1 && fs[0].Rel != spec.rel {
			folders[spec.option] = true
		}
		for _, f := range fs {
			if err := l.checkLength(spec.option, f); err != nil {
				return err
			}
			if prev, dup := seen[f.Path]; dup {
				return duplicateError(spec, f, prev, folders)
			}
			seen[f.Path] = spec.option
			d.files = append(d.files, f)
		}
		return nil
	}
	for _, user := range sortedKeys(cfg.Home) {
		errs = append(errs, l.homeSpecs(cfg, user, d, add)...)
	}
	if len(cfg.Etc) > 0 {
		if !l.Manages("") {
			d.notes = append(d.notes, "environment.etc: files under /etc need root; skipped (run gocfg switch as root)")
		} else {
			for _, root := range []string{etcRoot, etcPrivateRoot} {
				d.roots[root] = rootDir{Root: root, Dir: l.etcDir(), UID: rootID(l), GID: rootID(l), Mode: 0o755}
			}
			d.areas[etcRoot] = generations.Area{Name: "system", UID: rootID(l), GID: rootID(l)}
			d.areas[etcPrivateRoot] = generations.Area{Name: "system-private", UID: rootID(l), GID: rootID(l), Private: true}
			confined := map[string]bool{}
			for _, target := range sortedKeys(cfg.Etc) {
				if rel, why := cleanRel(target); why == "" && l.Privileged {
					l.confineEtc(rel, confined)
				}
				spec, err := l.etcSpec(target, cfg.Etc[target], d)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				if err := add(spec); err != nil {
					errs = append(errs, err)
				}
			}
		}
	}
	if err := checkNesting(d.files, seen); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, platform.JoinErrors(errs)
	}
	d.contents = func() []generations.Entry { return l.contents(d.files, applied) }
	return d, nil
}

// homeSpecs adds (with add) the files of home.<user>, and returns the
// errors of its entries; the user's name is checked first, whether the
// home has files or not, since it names a folder (users.NameProblem).
func (l *site) homeSpecs(cfg *Config, user string, d *desired, add func(fileSpec) error) []error {
	if err := homeName(user); err != nil {
		return []error{err}
	}
	root := homeRoot(user)
	files := cfg.Home[user].Files
	if !l.Manages(userOf(root)) {
		if len(files) > 0 {
			d.notes = append(d.notes, fmt.Sprintf("home.%s: the files of user %s need root; skipped (run as root or as %s)", optpath.Segment(user), user, user))
		}
		return nil
	}
	if len(files) == 0 {
		return nil
	}
	uid, gid, err := l.Owner(user)
	if err != nil {
		opt := optpath.Path{"home", user}.String()
		return []error{&platform.ConfigError{Option: opt, Msg: err.Error(), Hint: l.OwnerHint(user, optpath.Path{"users", user}.String(), opt)}}
	}
	home := HomeOf(l.Machine, cfg, user)
	if !l.Privileged && !l.Offline {
		if n := unusedHome(cfg, user, home); n != "" {
			d.notes = append(d.notes, n)
		}
	}
	if l.Privileged && user != l.User {
		ConfineHome(l.Sys, home)
	}
	d.roots[root] = rootDir{Root: root, Dir: home, User: user, UID: uid, GID: gid, Mode: 0o700}
	d.areas[root] = l.HomeArea(user, uid, gid, l.Privileged)
	var errs []error
	for _, target := range sortedKeys(files) {
		hf := files[target]
		option := hf.optionAt(user, target)
		rel, err := homeRel(option, target, home)
		if err == nil {
			err = folderTargetError(option, target, hf.Text != nil)
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		mode, method, modeCopy, err := homeMode(option, hf)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		spec := fileSpec{
			option: option, root: root, rel: rel, dir: home, method: method,
			source: hf.Source, text: hf.Text, exec: hf.Executable, recursive: hf.Recursive,
			force: hf.Force, uid: uid, gid: gid, home: home,
			mode: mode, modeSet: hf.Mode != nil, modeCopy: modeCopy,
			folderTarget: strings.HasSuffix(target, "/"),
		}
		if hf.GeneratedBy != nil {
			spec.madeBy = *hf.GeneratedBy
		}
		if hf.OnChange != nil {
			spec.onChange = *hf.OnChange
		}
		if err := add(spec); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// homeName checks the key user of home.<user>, which names a folder
// (users.NameProblem).
func homeName(user string) error {
	why := users.NameProblem(user)
	if why == "" {
		return nil
	}
	hint := `the keys of home are user names, like home "alice"`
	if strings.Contains(user, "/") {
		hint += "; files under /etc go in environment.etc"
	}
	return &platform.ConfigError{Option: optpath.Path{"home", user}.String(), Msg: fmt.Sprintf("%q is not a user name: %s", user, why), Hint: hint}
}

// homeRel checks the target of a home file (option names it), whose
// home folder is home, and returns it cleaned.
//
// A target whose first name is "~" ("~/.zshrc", as home-manager's
// home.file and a shell write it) is refused rather than taken as a
// folder named "~" in the home: targets are relative to the home
// folder already, and a folder named "~" is almost never what was
// meant (and easy to delete by mistake with rm -r ~).
func homeRel(option, target, home string) (string, error) {
	rel, why := cleanRel(target)
	if why != "" {
		return "", &platform.ConfigError{Option: option, Msg: why, Hint: "targets are paths inside " + home + ", such as \".config/nvim\""}
	}
	if rest, ok := strings.CutPrefix(rel, "~/"); ok {
		return "", &platform.ConfigError{Option: option, Msg: "the target starts with \"~/\", which gocfg does not expand: targets are relative to the home folder",
			Hint: "write " + strconv.Quote(rest)}
	}
	if rel == "~" {
		return "", &platform.ConfigError{Option: option, Msg: "the target is \"~\", which gocfg does not expand: targets are relative to the home folder",
			Hint: "name a path inside the home folder, such as \".zshrc\""}
	}
	if why := nameTooLong(rel); why != "" {
		return "", &platform.ConfigError{Option: option, Msg: why, Hint: nameHint}
	}
	return rel, nil
}

// folderTargetError refuses a target written with a trailing "/" (a
// folder's name) for an entry that makesFile: text, a symlink_to, or a
// source that is a file. The slash was dropped before, and a user who
// meant ".config/app/" to be a folder got a file named app. A source
// folder may keep the slash: it is linked or copied as a folder.
func folderTargetError(option, target string, makesFile bool) error {
	if !makesFile || !strings.HasSuffix(target, "/") {
		return nil
	}
	what := strings.TrimRight(target, "/")
	return &platform.ConfigError{Option: option, Msg: fmt.Sprintf("the target %q ends in \"/\", which names a folder, but this entry makes a file", target),
		Hint: fmt.Sprintf("write %q for a file named %s, or give a folder as source to manage a folder", what, path.Base(what))}
}

// duplicateError is the error of spec's file f, whose path the entry
// prev defines too; folders holds the options of the recursive folders
// of several files, which the hint names.
func duplicateError(spec fileSpec, f *File, prev string, folders map[string]bool) error {
	var hint string
	switch {
	case folders[prev]:
		hint = prev + " manages it as a file of its source folder: drop this entry, or the file from the source folder"
	case folders[spec.option]:
		hint = spec.option + " manages it as a file of its source folder: drop " + prev + ", or the file from the source folder"
	default:
		hint = "both name " + display(f.Root, f.Rel) + ": remove one of them"
	}
	return &platform.ConfigError{Option: spec.option, Msg: fmt.Sprintf("%s is also defined by %s", display(f.Root, f.Rel), prev), Hint: hint}
}

func rootID(l *site) int {
	if l.Privileged {
		return 0
	}
	return -1
}

// etcSpec reads environment.etc.<target>.
func (l *site) etcSpec(target string, ef EtcFile, d *desired) (fileSpec, error) {
	option := etcOption(target)
	rel, mode, err := etcTarget(option, target, ef)
	if err != nil {
		return fileSpec{}, err
	}
	method, modeCopy := etcMethod(ef.Method, mode)
	uid, gid, err := l.etcOwner(option, ef)
	if err != nil {
		return fileSpec{}, err
	}
	// A copy others may not read is stored where only root can read it;
	// linked files must be readable by all (a private mode made the file
	// a copy).
	root := etcRoot
	if method == "copy" && isPrivate(mode) {
		root = etcPrivateRoot
	}
	spec := fileSpec{option: option, root: root, rel: rel, dir: l.etcDir(), method: method,
		source: ef.Source, text: ef.Text, uid: uid, gid: gid, mode: mode, modeSet: true, modeCopy: modeCopy, force: ef.Force != nil && *ef.Force,
		folderTarget: strings.HasSuffix(target, "/"), keepPrivate: ef.Mode == nil}
	if ef.OnChange != nil {
		spec.onChange = *ef.OnChange
	}
	if ef.Check != nil {
		spec.check = *ef.Check
	}
	if ef.SymlinkTo != nil {
		if err := l.symlinkSpec(&spec, ef, d); err != nil {
			return fileSpec{}, err
		}
	}
	return spec, nil
}

// accountFiles are the files of /etc that hold the accounts: the users
// provider changes them with the shadow tools, which refuse to work
// through a link (tester U: a managed /etc/passwd passed the plan, then
// useradd failed in the switch, with no place named).
var accountFiles = map[string]bool{"passwd": true, "shadow": true, "group": true, "gshadow": true, "subuid": true, "subgid": true}

// etcTarget checks environment.etc.<target> (option) as far as the
// machine does not matter: its path inside /etc and its mode, which it
// returns.
func etcTarget(option, target string, ef EtcFile) (string, fs.FileMode, error) {
	rel, why := cleanRel(target)
	if why != "" {
		return "", 0, &platform.ConfigError{Option: option, Msg: why, Hint: "keys of environment.etc are paths inside /etc, such as \"ssh/sshd_config.d/10-gocfg.conf\""}
	}
	if err := folderTargetError(option, target, ef.Text != nil || ef.SymlinkTo != nil); err != nil {
		return "", 0, err
	}
	if why := nameTooLong(rel); why != "" {
		return "", 0, &platform.ConfigError{Option: option, Msg: why, Hint: nameHint}
	}
	if accountFiles[rel] {
		return "", 0, &platform.ConfigError{Option: option, Msg: "/etc/" + rel + " is the account database, which gocfg changes only through users and groups (useradd and the other shadow tools write it; a managed file there breaks them)",
			Hint: "declare the accounts with users \"NAME\" { ... } and groups \"NAME\" { ... } instead"}
	}
	// Unset (nil) is the option's default; "" is refused as in home
	// files, not taken for the default.
	mode := defaultEtcMode
	if ef.Mode != nil {
		m, err := parseMode(option+".mode", *ef.Mode)
		if err != nil {
			return "", 0, err
		}
		mode = m
	}
	return rel, mode, nil
}

// etcOwner is the owner of the /etc file of the entry option: its user
// and group, each error at its own option (user and group both, when
// both are wrong).
func (l *site) etcOwner(option string, ef EtcFile) (int, int, error) {
	if !l.Privileged {
		return -1, -1, nil
	}
	uid, gid := 0, 0
	var errs []error
	if ef.User != "" && ef.User != "root" {
		if l.Deleting[ef.User] {
			errs = append(errs, &platform.ConfigError{Option: option + ".user", Msg: fmt.Sprintf("user %s is deleted by this switch (no longer declared under users): the file would be left to her uid, which an account made later may get", ef.User),
				Hint: "keep " + optpath.Path{"users", ef.User}.String() + ", or give the file another user"})
		} else if a, ok := l.Accounts.User(ef.User); ok {
			uid, gid = a.UID, a.GID
		} else {
			errs = append(errs, &platform.ConfigError{Option: option + ".user", Msg: fmt.Sprintf("user %s does not exist on this machine", ef.User),
				Hint: "declare it under " + optpath.Path{"users", ef.User}.String() + " or create it first, or leave user unset"})
		}
	}
	if ef.Group != nil && *ef.Group != "" {
		if l.DeletingGroups[*ef.Group] {
			errs = append(errs, &platform.ConfigError{Option: option + ".group", Msg: fmt.Sprintf("group %s is deleted by this switch: the file would be left to its gid, which a group made later may get", *ef.Group),
				Hint: "keep the group (or the account whose own group it is), or give the file another group"})
		} else if g, ok := l.Accounts.Group(*ef.Group); ok {
			gid = g
		} else {
			errs = append(errs, &platform.ConfigError{Option: option + ".group", Msg: fmt.Sprintf("group %s does not exist on this machine", *ef.Group),
				Hint: "declare it under " + optpath.Path{"groups", *ef.Group}.String() + " or create it first, or leave group unset"})
		}
	}
	return uid, gid, platform.JoinErrors(errs)
}

// checkNesting refuses a file placed inside a linked folder or a linked
// file's path used as a folder.
func checkNesting(files []*File, seen map[string]string) error {
	// The folders checked already, with all above them (10,000 files are
	// in 1,100 folders).
	checked := map[string]bool{}
	var last *File
	for _, f := range files {
		// The files of a folder come one after another.
		if last != nil && sameParent(f.Path, last.Path) {
			continue
		}
		last = f
		for p := filepath.Dir(f.Path); p != "/" && p != "." && !checked[p]; p = filepath.Dir(p) {
			checked[p] = true // or the error below ends the check
			if opt, ok := seen[p]; ok {
				return &platform.ConfigError{Option: seen[f.Path], Msg: fmt.Sprintf("%s is inside %s, which %s manages as a whole", display(f.Root, f.Rel), p, opt),
					Hint: "set recursive = true on the folder to manage its files one by one"}
			}
		}
	}
	return nil
}

// fileSpec is one configured entry before expansion.
type fileSpec struct {
	option, madeBy, root, rel, dir, method string
	source, text                           *string
	exec                                   *bool
	recursive, force                       bool
	uid, gid                               int
	home, onChange                         string
	// check validates new content at plan time (check.go); symlinkTo
	// makes the file a symlink to that machine path (symlink.go).
	check, symlinkTo string
	// mode is the file's mode option when modeSet; modeCopy: the mode
	// made a link a copy.
	mode              fs.FileMode
	modeSet, modeCopy bool
	// folderTarget: the target was written with a trailing "/", which
	// only a source folder may have (folderTargetError).
	folderTarget bool
	// keepPrivate (an /etc file with no mode set): a source file others
	// may not read becomes a private copy with its own mode
	// (privateEtcCopy), not a link into the store every user reads.
	keepPrivate bool
}

// expand turns one configured entry into files (several for a recursive
// folder), hashing their content.
func (l *site) expand(s fileSpec, cache *hashCache, now time.Time) ([]*File, error) {
	if s.method == "" {
		s.method = "link"
	}
	base := File{Root: s.root, Rel: s.rel, Path: filepath.Join(s.dir, filepath.FromSlash(s.rel)), Method: s.method,
		UID: s.uid, GID: s.gid, Force: s.force, OnChange: s.onChange, Home: s.home, check: s.check, option: s.option, madeBy: s.madeBy}
	if s.symlinkTo != "" {
		f := base
		f.Target = s.symlinkTo
		return []*File{&f}, nil
	}
	switch {
	case s.text != nil && s.source != nil, s.text == nil && s.source == nil:
		return nil, &platform.ConfigError{Option: s.option, Msg: "set exactly one of text and source"}
	case s.text != nil:
		if s.method == "live" {
			return nil, &platform.ConfigError{Option: s.option, Msg: "method = \"live\" links to a source file; it cannot be used with text", Hint: "use source = \"./file\", or method = \"link\""}
		}
		f := base
		f.text = []byte(*s.text)
		f.Hash = hashBytes(f.text)
		f.Exec = s.exec != nil && *s.exec
		l.finish(&f, &s, nil)
		return []*File{&f}, nil
	}
	src := *s.source
	fi, err := l.Sources().Stat(src)
	if err := sourceError(s.option, src, fi, err); err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		if s.folderTarget {
			return nil, folderTargetError(s.option, s.rel+"/", true)
		}
		f := base
		f.Source = src
		if _, err := l.hashFile(&f, fi, s.exec, cache, now); err != nil {
			return nil, &platform.ConfigError{Option: s.option, Msg: err.Error()}
		}
		if !privateEtcCopy(&f, &s, fi) {
			l.finish(&f, &s, fi)
		}
		return []*File{&f}, nil
	}
	return l.expandFolder(base, s, src, cache, now)
}

// expandFolder is expand for a source that is a folder: one file that
// links (or live-links) the whole folder, or with recursive one file for
// each file in it.
func (l *site) expandFolder(base File, s fileSpec, src string, cache *hashCache, now time.Time) ([]*File, error) {
	if s.method == "live" && !s.recursive {
		// Nothing of it is read, but its content is the home's from now
		// on: every entry is looked at through the sources' System,
		// which refuses one another user could change (reviewer R8: only
		// the folder itself was).
		if _, _, err := l.walkParallel(src, false); err != nil {
			return nil, &platform.ConfigError{Option: s.option, Msg: err.Error()}
		}
		f := base
		f.Source = src
		f.Folder = true
		l.finish(&f, &s, nil)
		return []*File{&f}, nil
	}
	if !s.recursive && s.modeCopy {
		hint := "set recursive = true to copy each file of the folder with that mode, or drop mode"
		if userOf(s.root) == "" {
			hint = "drop mode to link the folder, or name each of its files with that mode"
		}
		return nil, &platform.ConfigError{Option: s.option + ".mode", Msg: fmt.Sprintf("source %s is a folder, linked as a whole; a mode makes a file a copy, and only single files are copied", src), Hint: hint}
	}
	if !s.recursive && s.method == "copy" {
		return nil, &platform.ConfigError{Option: s.option, Msg: fmt.Sprintf("source %s is a folder; method = \"copy\" copies single files", src), Hint: "set recursive = true to copy each file of the folder"}
	}
	// A first switch hashes every file it finds: the open's stat is then
	// the file's (hashUnstated), and the listing takes none.
	rels, infos, err := l.walkParallel(src, cache.knowsNone())
	if err != nil {
		return nil, &platform.ConfigError{Option: s.option, Msg: err.Error()}
	}
	// The names found in the source folder become paths in the home too:
	// the same rules as a target's.
	for _, r := range rels {
		if _, why := cleanRel(r); why != "" {
			return nil, &platform.ConfigError{Option: s.option, Msg: fmt.Sprintf("%s in source %s: %s", strconv.Quote(r), src, strings.Replace(why, "the target", "the name", 1)),
				Hint: "rename the file in the dotfiles repository"}
		}
	}
	if !s.recursive {
		f := base
		f.Source = src
		f.Folder = true
		if s.keepPrivate && f.Method == "link" {
			if err := l.privateFolderIn(s.option, src, rels); err != nil {
				return nil, err
			}
		}
		for i, r := range rels {
			one := File{Source: src + "/" + r}
			fi, err := l.hashFile(&one, infos[i], s.exec, cache, now)
			if err != nil {
				return nil, &platform.ConfigError{Option: s.option, Msg: err.Error()}
			}
			if s.keepPrivate && one.Private && f.Method == "link" {
				return nil, &platform.ConfigError{Option: s.option, Msg: fmt.Sprintf("source %s is a folder, linked as a whole into the store, which every user may read; its file %s is not for others to read (mode %#o)", src, r, fi.Mode().Perm()),
					Hint: privateInFolderHint}
			}
			f.Files = append(f.Files, Content{Rel: r, Hash: one.Hash, Exec: one.Exec, Sig: one.Sig, kept: one.kept})
		}
		f.Hash = listingHash(f.Files)
		l.finish(&f, &s, nil)
		return []*File{&f}, nil
	}
	out := make([]*File, len(rels))
	errs := make([]error, len(rels))
	under := l.Store.CurrentFilePath(s.root, s.rel) // the links' targets
	parallel(len(rels), func(i int) {
		f := base
		f.Path = s.dir + "/" + s.rel + "/" + rels[i] // both clean
		f.Rel = f.Path[len(s.dir)+1:]                // one string for both
		f.Source = src + "/" + rels[i]
		fi, err := l.hashFile(&f, infos[i], s.exec, cache, now)
		if err != nil {
			errs[i] = &platform.ConfigError{Option: s.option, Msg: err.Error()}
			return
		}
		if f.Method == "link" && cleanName(rels[i]) {
			f.Target = l.linkTargetUnder(f.Path, under, rels[i])
		} else {
			l.finish(&f, &s, fi)
		}
		out[i] = &f
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// publishedNote is the note of an /etc file that becomes private (its
// source others may not read, or a private mode) with the content that
// generations before stored in the store area every user reads (reviewer R7: the first
// switch after 4ffc3d3 changed such a file with no word of why, and its
// content stays public in those generations, and again after a
// rollback to one of them).
const publishedNote = "now kept where only root reads it; the earlier generations that hold it let every user read it: delete them with gocfg generations delete, and take the content as disclosed"

// privateInFolderHint is the hint of an /etc source folder, linked
// whole, that holds a file or folder others may not read.
const privateInFolderHint = "name each file of the folder as an entry of its own: one others may not read is then copied with its own mode, where only root can read it"

// privateFolderIn is the error of the /etc entry option whose source
// folder src, linked whole, is or holds a folder that others may not
// read or enter (rels are its files): the store's copy of the folder is
// every user's to read, whatever its source's modes (reviewer R7: a 0644
// key in a 0700 folder of the source was printed by any user).
func (l *site) privateFolderIn(option, src string, rels []string) error {
	dirs := map[string]bool{".": true}
	for _, r := range rels {
		for d := path.Dir(r); d != "." && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	for _, d := range sortedKeys(dirs) {
		p := src + "/" + d
		if d == "." {
			p = src
		}
		fi, err := l.Sources().Stat(p)
		if err != nil {
			return &platform.ConfigError{Option: option, Msg: fmt.Sprintf("source %s: %v", p, unwrapPath(err))}
		}
		if fi.Mode().Perm()&0o005 != 0o005 {
			return &platform.ConfigError{Option: option, Msg: fmt.Sprintf("source %s is a folder, linked as a whole into the store, which every user may read; its folder %s is not for others to read (mode %#o)", src, p, fi.Mode().Perm()),
				Hint: privateInFolderHint}
		}
	}
	return nil
}

// privateEtcCopy makes f, an /etc file from a source others may not
// read (fi, its stat) with no mode set (s.keepPrivate), a copy with the
// source's permission bits (without write for group and others), stored
// where only root can read it: linked, or copied with the default
// 0644, its content would be every user's to read, as the store's
// linked files are (tester AM: a 0600 server key in root's 0700
// dotfiles, named as environment.etc's source, was printed by an
// ordinary user). Home files keep a private source's mode the same way
// (copyMode), in a store area only their user reads. A live link, whose
// content is the source itself, is left alone. It reports whether it
// did.
func privateEtcCopy(f *File, s *fileSpec, fi fs.FileInfo) bool {
	if !s.keepPrivate || !f.Private || f.Method == "live" || fi == nil {
		return false
	}
	f.Method, f.Root, f.Target = "copy", etcPrivateRoot, ""
	f.Mode = fi.Mode().Perm() &^ 0o022
	return true
}

// finish sets the link target and the copy mode: the mode option, else
// (home files) the source's (src, nil for text) as copyMode says.
func (l *site) finish(f *File, s *fileSpec, src fs.FileInfo) {
	switch f.Method {
	case "link":
		f.Target = l.linkTarget(f.Path, f.Root, f.Rel)
	case "live":
		f.Target = f.Source
	case "copy":
		switch {
		case !s.modeSet:
			f.Mode = copyMode(src, s.exec)
		case userOf(f.Root) != "":
			// The mode says whether a home copy is executable
			// (homeMode checked that executable agrees).
			f.Mode, f.Exec = s.mode, s.mode&0o111 != 0
		default:
			f.Mode = s.mode
		}
	}
}

// hashFile sets f's hash, signature and executable bit from its source,
// whose Stat fi is (nil: not taken, see walk: the source's open takes
// it). It returns the Stat it used.
func (l *site) hashFile(f *File, fi fs.FileInfo, exec *bool, cache *hashCache, now time.Time) (fs.FileInfo, error) {
	var h string
	var sig *Sig
	var kept []byte
	var err error
	if fi == nil {
		h, sig, kept, fi, err = hashUnstated(l.Sources(), cache, f.Path, f.Source, now)
	} else {
		h, sig, kept, err = hashSource(l.Sources(), cache, f.Path, f.Source, fi, now)
	}
	if err != nil {
		return nil, fmt.Errorf("source %s: %v", f.Source, unwrapPath(err))
	}
	f.Hash, f.Sig, f.kept = h, sig, kept
	f.Private = fi.Mode().Perm()&0o004 == 0
	if exec != nil {
		f.Exec = *exec
	} else {
		f.Exec = fi.Mode().Perm()&0o111 != 0
	}
	return fi, nil
}

// walkParallel is walk with the top folder's subfolders listed
// concurrently (a dotfiles folder is many small folders: the cost is
// system calls, which overlap well).
func (l *site) walkParallel(dir string, types bool) ([]string, []fs.FileInfo, error) {
	entries, err := l.readDir(dir, types)
	if err != nil {
		return nil, nil, err
	}
	type part struct {
		rels  []string
		infos []fs.FileInfo
		err   error
	}
	parts := make([]part, len(entries))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i, e := range entries {
		fi, mode, err := l.entryInfo(dir, e.Name(), e, types)
		if err != nil {
			return nil, nil, err
		}
		switch {
		case mode.IsDir():
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				parts[i].err = l.walk(dir, e.Name(), 1, types, &parts[i].rels, &parts[i].infos)
			}()
		case mode.IsRegular():
			parts[i] = part{rels: []string{e.Name()}, infos: []fs.FileInfo{fi}}
		}
	}
	wg.Wait()
	n := 0
	for _, pt := range parts {
		if pt.err != nil {
			return nil, nil, pt.err
		}
		n += len(pt.rels)
	}
	rels := make([]string, 0, n)
	infos := make([]fs.FileInfo, 0, n)
	for _, pt := range parts {
		rels = append(rels, pt.rels...)
		infos = append(infos, pt.infos...)
	}
	return rels, infos, nil
}

// readDir lists a folder of the sources: without the entries' Stat when
// types (ReadDirTypes).
func (l *site) readDir(dir string, types bool) ([]fs.DirEntry, error) {
	if types {
		return l.Sources().ReadDirTypes(dir)
	}
	return l.Sources().ReadDir(dir)
}

// entryInfo is the Stat of the folder entry e at dir+"/"+r in the
// sources (of what it links to, for a symlink), and its type bits. With
// types, a regular file or a folder that the listing typed is not
// stat'ed: its Stat is nil, and hashing takes it from the file's open.
// (The path is joined only when needed: 10,000 entries are not links.)
func (l *site) entryInfo(dir, r string, e fs.DirEntry, types bool) (fs.FileInfo, fs.FileMode, error) {
	if t := e.Type(); types && (t == 0 || t == fs.ModeDir) {
		return nil, t, nil
	}
	var fi fs.FileInfo
	var err error
	if e.Type()&fs.ModeSymlink != 0 {
		fi, err = l.Sources().Stat(dir + "/" + r)
	} else {
		fi, err = e.Info()
	}
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %v", dir+"/"+r, unwrapPath(err))
	}
	return fi, fi.Mode().Type(), nil
}

// walk lists the regular files under dir (following symlinks, at most 32
// folders deep), as slash paths relative to it, with their Stat (nil
// ones with types: see entryInfo).
func (l *site) walk(dir, rel string, depth int, types bool, rels *[]string, infos *[]fs.FileInfo) error {
	if depth > 32 {
		return fmt.Errorf("%s: folders nested more than 32 deep (a symlink loop?)", dir)
	}
	entries, err := l.readDir(filepath.Join(dir, filepath.FromSlash(rel)), types)
	if err != nil {
		return err
	}
	for _, e := range entries {
		r := e.Name()
		if rel != "" {
			r = rel + "/" + r
		}
		fi, mode, err := l.entryInfo(dir, r, e, types)
		if err != nil {
			return err
		}
		switch {
		case mode.IsDir():
			if err := l.walk(dir, r, depth+1, types, rels, infos); err != nil {
				return err
			}
		case mode.IsRegular():
			*rels = append(*rels, r)
			*infos = append(*infos, fi)
		}
	}
	return nil
}

// contents lists what the new generation stores: the content of every
// link and copy file, reusing the current generation's copy when equal.
// The entries are appended to one slice made for a file each (10,000
// of 80 bytes for as many dotfiles), not gathered from a slice per file.
func (l *site) contents(files []*File, applied map[string]*File) []generations.Entry {
	es := make([]generations.Entry, 0, len(files))
	for _, f := range files {
		es = l.appendEntries(es, f, applied[f.Path])
	}
	return es
}

// entriesOf is what the new generation stores for f (none for a live
// link; one entry per file of a linked folder), each with the object of
// the current generation that holds the same content when prev (what
// the current generation applied at f's path) has it.
func (l *site) entriesOf(f, prev *File) []generations.Entry {
	return l.appendEntries(nil, f, prev)
}

// appendEntries appends entriesOf(f, prev) to es.
func (l *site) appendEntries(es []generations.Entry, f, prev *File) []generations.Entry {
	if f.Method == "live" {
		return es
	}
	have := func(rel, hash string, exec bool) string {
		if prev == nil || l.Current == 0 || prev.Method == "live" {
			return ""
		}
		if !prev.Folder && prev.Hash == hash && prev.Exec == exec && rel == "" {
			return l.Store.FilePath(l.Current, prev.Root, prev.Rel)
		}
		for _, c := range prev.Files {
			if c.Rel == rel && c.Hash == hash && c.Exec == exec {
				return l.Store.FilePath(l.Current, prev.Root, path.Join(prev.Rel, rel))
			}
		}
		return ""
	}
	if f.Folder {
		es = slices.Grow(es, len(f.Files))
		for _, c := range f.Files {
			open := l.opener(f.Source + "/" + c.Rel)
			if c.kept != nil {
				open = bytesOpener(c.kept)
			}
			es = append(es, generations.Entry{Root: f.Root, Rel: path.Join(f.Rel, c.Rel), Hash: c.Hash, Exec: c.Exec,
				Have: have(c.Rel, c.Hash, c.Exec), Open: open})
		}
		return es
	}
	e := generations.Entry{Root: f.Root, Rel: f.Rel, Hash: f.Hash, Exec: f.Exec, Have: have("", f.Hash, f.Exec)}
	switch {
	case f.text != nil:
		e.Open = bytesOpener(f.text)
	case f.kept != nil:
		// What the plan hashed (hashKeep): the store checks it again.
		e.Open = bytesOpener(f.kept)
	default:
		e.Open = l.opener(f.Source)
	}
	return append(es, e)
}

// bytesOpener gives b, afresh on each call.
func bytesOpener(b []byte) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
}

func (l *site) opener(p string) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return l.Sources().Open(p) }
}

// storeOpener opens p through the machine's System (not the sources'):
// a file of a generation in the state folder, or a file on the machine
// kept as an original (its content checked against its hash by the
// store, Entry.Unverified).
func (l *site) storeOpener(p string) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return l.Sys.Open(p) }
}

// sortedKeys returns m's keys, sorted.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// unwrapPath drops the path of a *fs.PathError (the caller names it).
func unwrapPath(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}
