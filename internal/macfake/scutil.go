package macfake

import (
	"context"
	"strings"
)

func init() {
	register("scutil", runScutil)
}

// scutilNames are the names `scutil --get/--set` knows.
var scutilNames = map[string]bool{"HostName": true, "ComputerName": true, "LocalHostName": true}

// Names returns the fake's HostName, ComputerName and LocalHostName (a
// name that is not set is absent): /.macfake/names.json.
func (f *Fake) Names() (map[string]string, error) {
	ns := map[string]string{}
	if err := f.Load("names", &ns); err != nil {
		return nil, err
	}
	return ns, nil
}

// SetNames replaces the fake's names, as a Mac's owner set them.
func (f *Fake) SetNames(ns map[string]string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Save("names", ns)
}

// runScutil answers `scutil --get <Name>` (exit 1 and "<Name>: not set"
// when unset) and `scutil --set <Name> <value>` as root, where an empty
// value removes the name, as SCPreferencesSet*Name(NULL) does. Without a
// value the real scutil reads one from standard input: not faked.
func runScutil(_ context.Context, f *Fake, c Call) ([]byte, int) {
	a := c.Args
	if len(a) < 2 || !scutilNames[a[1]] || a[0] != "--get" && a[0] != "--set" {
		return failf("macfake: scutil %s is not faked", strings.Join(a, " "))
	}
	ns, err := f.Names()
	if err != nil {
		return failf("macfake: %v", err)
	}
	key := a[1]
	if a[0] == "--get" {
		if len(a) != 2 {
			return failf("macfake: scutil --get %s with a preference file is not faked", key)
		}
		v, ok := ns[key]
		if !ok {
			return []byte(key + ": not set\n"), 1
		}
		return []byte(v + "\n"), 0
	}
	if len(a) != 3 {
		return failf("macfake: scutil --set %s without a value (read from standard input) is not faked", key)
	}
	if c.User != "root" {
		return []byte("Permission denied.\n"), 1
	}
	if a[2] == "" {
		delete(ns, key)
	} else {
		ns[key] = a[2]
	}
	if err := f.Save("names", ns); err != nil {
		return failf("macfake: %v", err)
	}
	return nil, 0
}
