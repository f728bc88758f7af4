package prefs

import (
	"context"
	"fmt"
	"strings"

	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/system"
	"howett.net/plist"
)

// Defaults is the Store of a live Mac: the `defaults` command, run as the
// domain's user, so that cfprefsd sees every change.
type Defaults struct {
	Sys        system.System
	User       macos.User
	Privileged bool
}

var _ Store = (*Defaults)(nil)

// command builds `defaults [-currentHost] <verb> <domain> args...`, run as
// the user for user and host domains and as gocfg (root) for system ones.
func (s *Defaults) command(d Domain, verb string, args ...string) system.Command {
	var a []string
	if d.Scope == ScopeHost {
		a = append(a, "-currentHost")
	}
	a = append(a, verb, d.arg())
	a = append(a, args...)
	c := macos.Command(macos.Defaults, a...)
	// export and read change nothing: they run under gocfg plan's
	// read-only System.
	c.ReadOnly = verb == "export" || verb == "read"
	if d.Scope == ScopeSystem {
		return c
	}
	return macos.AsUser(c, s.User, s.Privileged)
}

// Export runs `defaults export <domain> -` and decodes the plist it
// prints (XML; binary is detected too).
func (s *Defaults) Export(ctx context.Context, d Domain) (map[string]any, error) {
	out, err := s.Sys.Run(ctx, s.command(d, "export", "-"))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", d, err)
	}
	return decodeDomain(out, d.String())
}

// Write runs `defaults write <domain> <key> '<plist XML>'`.
func (s *Defaults) Write(ctx context.Context, d Domain, key string, v any) error {
	x, err := EncodeXML(v)
	if err != nil {
		return fmt.Errorf("%s %s: %w", d, key, err)
	}
	if _, err := s.Sys.Run(ctx, s.command(d, "write", key, string(x))); err != nil {
		return fmt.Errorf("write %s %s: %w", d, key, err)
	}
	return nil
}

// Delete runs `defaults delete <domain> <key>`.
func (s *Defaults) Delete(ctx context.Context, d Domain, key string) error {
	out, err := s.Sys.Run(ctx, s.command(d, "delete", key))
	if err != nil {
		// Gone already: what was wanted.
		if strings.Contains(string(out), "does not exist") || strings.Contains(string(out), "not found") {
			return nil
		}
		return fmt.Errorf("delete %s %s: %w", d, key, err)
	}
	return nil
}

// decodeDomain reads a whole domain's plist: a dict, or nothing.
func decodeDomain(data []byte, name string) (map[string]any, error) {
	if len(strings.TrimSpace(string(data))) == 0 {
		return map[string]any{}, nil
	}
	var v any
	if _, err := plist.Unmarshal(data, &v); err != nil {
		return nil, fmt.Errorf("%s: not a property list: %w", name, err)
	}
	m, ok := Normalize(v).(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: the property list is a %T, not a dictionary", name, v)
	}
	return m, nil
}
