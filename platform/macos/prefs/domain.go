package prefs

import (
	"fmt"
	"path"
	"strings"
)

// The scopes of a domain: which option it comes from.
const (
	// ScopeUser is macos.defaults: the primary user's preferences.
	ScopeUser = "user"
	// ScopeHost is macos.current_host_defaults: the user's ByHost ones.
	ScopeHost = "host"
	// ScopeSystem is macos.system_defaults: /Library/Preferences.
	ScopeSystem = "system"
)

// GlobalDomain is the domain every application reads (`defaults -g`).
const GlobalDomain = "NSGlobalDomain"

// A Domain is one preferences domain of one scope.
type Domain struct {
	Scope string `json:"scope"`
	// User owns a user or host domain ("" for system).
	User string `json:"user,omitempty"`
	// Name is the domain ("com.apple.dock", "NSGlobalDomain").
	Name string `json:"domain"`
}

// Option is the configuration option the domain's keys are set with.
func (d Domain) Option() string {
	switch d.Scope {
	case ScopeHost:
		return "macos.current_host_defaults"
	case ScopeSystem:
		return "macos.system_defaults"
	}
	return "macos.defaults"
}

// KeyID is the resource ID of one key of the domain.
func (d Domain) KeyID(key string) string {
	switch d.Scope {
	case ScopeHost:
		return "host-defaults:" + d.User + ":" + d.Name + ":" + key
	case ScopeSystem:
		return "system-defaults:" + d.Name + ":" + key
	}
	return "defaults:" + d.User + ":" + d.Name + ":" + key
}

// String names the domain for messages.
func (d Domain) String() string {
	switch d.Scope {
	case ScopeHost:
		return d.Name + " (-currentHost, " + d.User + ")"
	case ScopeSystem:
		return SystemFile(d.Name)
	}
	return d.Name + " (" + d.User + ")"
}

// arg is the domain as `defaults` takes it: -g for NSGlobalDomain, the
// file path (without .plist) for a system domain.
func (d Domain) arg() string {
	if d.Scope == ScopeSystem {
		return strings.TrimSuffix(SystemFile(d.Name), ".plist")
	}
	if d.Name == GlobalDomain {
		return "-g"
	}
	return d.Name
}

// fileBase is the domain's plist file name without .plist.
func fileBase(name string) string {
	if name == GlobalDomain {
		return ".GlobalPreferences"
	}
	return name
}

// SystemFile is the plist file of a system domain.
func SystemFile(name string) string {
	return "/Library/Preferences/" + fileBase(name) + ".plist"
}

// UserFile is the plist file of a user domain, under home.
func UserFile(home, name string) string {
	return path.Join(home, "Library/Preferences", fileBase(name)+".plist")
}

// HostFile is the ByHost plist file of a -currentHost domain, under home,
// for the machine's hardware UUID.
func HostFile(home, name, uuid string) string {
	return path.Join(home, "Library/Preferences/ByHost", fileBase(name)+"."+uuid+".plist")
}

// validName reports whether a domain name can be a plist file name.
func validName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, "/\x00") && !strings.HasPrefix(name, "-")
}

// nameProblem says what is wrong with a domain's name, and what to
// write instead ("" when nothing): besides a name that is no file name
// (validName), the slips that named another file than the one meant
// (tester O): spaces around it, a ".plist" ending, and the global
// domain's name as `defaults` also takes it.
func nameProblem(name string) (msg, hint string) {
	switch {
	case !validName(name):
		return "not a preferences domain name", `use a bundle identifier such as "com.apple.dock", or "NSGlobalDomain"`
	case strings.TrimSpace(name) != name:
		return "the name starts or ends with white space, and names another file", fmt.Sprintf("write %q", strings.TrimSpace(name))
	case strings.HasSuffix(strings.ToLower(name), ".plist"):
		return "a domain is named without its file's .plist ending", fmt.Sprintf("write %q", name[:len(name)-len(".plist")])
	case strings.EqualFold(name, "Apple Global Domain") || strings.EqualFold(name, ".GlobalPreferences"):
		return "the global domain is NSGlobalDomain here (its file is .GlobalPreferences.plist)", `write "NSGlobalDomain"`
	}
	return "", ""
}
