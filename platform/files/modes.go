package files

import (
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/platform"
)

// File modes: which files are private, the mode a copy takes, when a mode
// makes a file a copy, and the mode of the folders gocfg creates (see
// "Modes and private files" in doc.go).

// defaultEtcMode is the default of environment.etc.<path>.mode. An /etc
// file with another mode is a copy whatever its method, as NixOS does: a
// link's content is readable by everyone, so a link cannot honour it.
const defaultEtcMode fs.FileMode = 0o644

// privateHomeFolders are the folders of a home that gocfg creates 0700
// whatever they hold, with every folder it creates inside them: programs
// keep keys there (ssh refuses a ~/.ssh others can write; gpg warns about
// a ~/.gnupg others can enter).
var privateHomeFolders = []string{".ssh", ".gnupg", ".password-store"}

// isPrivate reports whether a file of mode m is private: its mode denies
// others read.
func isPrivate(m fs.FileMode) bool { return m&0o004 == 0 }

// parseMode reads an octal mode option such as "0600".
func parseMode(option, s string) (fs.FileMode, error) {
	m, err := strconv.ParseUint(s, 8, 32)
	if err != nil || m > 0o7777 {
		return 0, &platform.ConfigError{Option: option, Msg: fmt.Sprintf("%q is not an octal file mode", s), Hint: "write it like \"0644\""}
	}
	if m > 0o777 {
		// They would be dropped on the way to chmod(2): refused rather
		// than ignored.
		return 0, &platform.ConfigError{Option: option, Msg: fmt.Sprintf("%q sets the setuid, setgid or sticky bit, which gocfg does not set", s),
			Hint: "use permission bits only, such as \"0755\""}
	}
	return fs.FileMode(m), nil
}

// etcMethod is the method of an /etc file with mode m: a mode other than
// the default makes a link a copy. modeCopy says the mode decided it.
func etcMethod(method string, m fs.FileMode) (resolved string, modeCopy bool) {
	if method == "" {
		method = "link"
	}
	if method == "link" && m != defaultEtcMode {
		return "copy", true
	}
	return method, false
}

// homeMode reads home.<user>.files.<target>.mode (option names it) and
// decides the file's method: any mode makes a link a copy with that
// mode; a live link, whose content is the source itself, refuses one;
// executable, when set too, must agree with the mode. It also refuses
// recursive = true on a file made from text.
func homeMode(option string, hf HomeFile) (m fs.FileMode, method string, modeCopy bool, err error) {
	method = hf.Method
	if hf.Recursive && hf.Text != nil {
		// Not a mode, but a shape the file cannot have, found where
		// both the plan and gocfg check look.
		return 0, "", false, &platform.ConfigError{Option: option + ".recursive", Msg: "recursive = true takes each file of a source folder; text makes one file",
			Hint: "drop recursive, or give a folder as source"}
	}
	if hf.Mode == nil {
		return 0, method, false, nil
	}
	if m, err = parseMode(option+".mode", *hf.Mode); err != nil {
		return 0, "", false, err
	}
	switch method {
	case "", "link":
		method, modeCopy = "copy", true
	case "live":
		return 0, "", false, &platform.ConfigError{Option: option + ".mode", Msg: "method = \"live\" links straight to the source, whose own mode applies; it cannot take a mode",
			Hint: "drop mode (and chmod the source), or use method = \"copy\""}
	}
	if hf.Executable != nil && *hf.Executable != (m&0o111 != 0) {
		has := "has no execute bit"
		if m&0o111 != 0 {
			has = "has execute bits"
		}
		return 0, "", false, &platform.ConfigError{Option: option, Msg: fmt.Sprintf("executable = %t, but mode %q %s", *hf.Executable, *hf.Mode, has),
			Hint: "mode sets every permission bit: drop executable, or change the mode"}
	}
	return m, method, modeCopy, nil
}

// copyMode is the mode of a copied home file without a mode option: its
// source's permission bits, without write for group and others (a
// checkout made with umask 0 or 002 does not make dotfiles writable by
// others), or 0644 for text. executable, when set, then adds execute
// where read is allowed (true) or removes every execute bit (false).
func copyMode(src fs.FileInfo, exec *bool) fs.FileMode {
	m := fs.FileMode(0o644)
	if src != nil {
		m = src.Mode().Perm() &^ 0o022
	}
	if exec != nil {
		if *exec {
			m |= (m & 0o444) >> 2
		} else {
			m &^= 0o111
		}
	}
	return m
}

// folderMode is the mode of a folder gocfg creates at rel under root:
// the root's own mode for the root folder itself; in a home, 0700 for a
// known private folder (privateHomeFolders) or anything inside one, and
// for a folder that directly holds a private copy; 0755 otherwise, and
// always under /etc (where a daemon's group may need to enter a folder
// holding a file of mode 0640).
//
// Links are not counted: their content sits in a store area that only
// their user reads, whatever the source's mode. The copies counted are
// the desired ones, so a rollback, which plans from a generation's
// records, decides as the switch did.
func (d *desired) folderMode(root rootDir, rel string) fs.FileMode {
	if rel == "" {
		return fs.FileMode(root.Mode)
	}
	if userOf(root.Root) == "" {
		return 0o755
	}
	if knownPrivate(rel) {
		return 0o700
	}
	if d.privateDirs == nil {
		d.privateDirs = map[string]bool{}
		for _, f := range d.files {
			if f.Method == "copy" && isPrivate(f.Mode) && userOf(f.Root) != "" {
				d.privateDirs[f.Root+"\x00"+path.Dir(f.Rel)] = true
			}
		}
	}
	if d.privateDirs[root.Root+"\x00"+rel] {
		return 0o700
	}
	return 0o755
}

// knownPrivate reports whether the home folder rel is one of
// privateHomeFolders or inside one.
func knownPrivate(rel string) bool {
	top, _, _ := strings.Cut(rel, "/")
	for _, p := range privateHomeFolders {
		if top == p {
			return true
		}
	}
	return false
}
