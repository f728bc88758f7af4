package unitstate

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/gocfg/gocfg/platform/system"
)

// configDir is where enabling links go, as systemctl makes them.
const configDir = "/etc/systemd/system"

// searchPath is where the system manager finds unit files that persist
// on disk, in its order.
var searchPath = []string{configDir, "/usr/local/lib/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system"}

// unitTypes are the suffixes of unit names.
var unitTypes = []string{".service", ".socket", ".timer", ".path", ".mount", ".automount", ".swap", ".target", ".slice", ".scope", ".device"}

// checkName returns an error for what is not the name of a unit that
// can be enabled and started (a template, foo@.service, cannot).
func checkName(name string) error {
	if name == "" || strings.ContainsAny(name, "/\\ \t\n") || strings.HasPrefix(name, ".") {
		return fmt.Errorf("%q is not a unit name", name)
	}
	for _, t := range unitTypes {
		if strings.HasSuffix(name, t) && len(name) > len(t) {
			if strings.HasSuffix(name, "@"+t) {
				return fmt.Errorf("%s is a template: name an instance of it (%s)", name, strings.TrimSuffix(name, t)+"NAME"+t)
			}
			return nil
		}
	}
	return fmt.Errorf("%q is not a unit name: it needs a type suffix such as .service or .timer", name)
}

// linkPath is the link that makes target want unit name.
func linkPath(target, name string) string {
	return path.Join(configDir, target+".wants", name)
}

// ourLinkPath reports whether p is a link gocfg makes for unit name.
func ourLinkPath(name, p string) bool {
	dir, base := path.Split(p)
	return base == name && path.Dir(path.Clean(dir)) == configDir && strings.HasSuffix(path.Clean(dir), ".wants") &&
		path.Clean(p) == p
}

// unitFile finds the file of unit name (or, for an instance, of its
// template) in the search path: "" when there is none.
func unitFile(sys system.System, name string) (string, error) {
	names := []string{name}
	if at := strings.IndexByte(name, '@'); at >= 0 {
		names = append(names, name[:at+1]+name[strings.LastIndexByte(name, '.'):])
	}
	for _, n := range names {
		for _, dir := range searchPath {
			p := path.Join(dir, n)
			if _, err := sys.Stat(p); err == nil {
				return p, nil
			} else if !errors.Is(err, fs.ErrNotExist) {
				return "", fmt.Errorf("unit %s: %w", name, err)
			}
		}
	}
	return "", nil
}

// linked reports whether p is a link to a file named as unit name (or
// its template), as systemctl counts an enabling link.
func linked(sys system.System, p, name string) (bool, error) {
	fi, err := sys.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if fi.Mode()&fs.ModeSymlink == 0 {
		return false, nil
	}
	t, err := sys.Readlink(p)
	if err != nil {
		return false, err
	}
	b := path.Base(t)
	if b == name {
		return true, nil
	}
	at := strings.IndexByte(name, '@')
	return at >= 0 && b == name[:at+1]+name[strings.LastIndexByte(name, '.'):], nil
}
