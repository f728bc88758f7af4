package users

import (
	"context"
	"regexp"
	"strings"

	"github.com/gocfg/gocfg/platform/system"
)

// toolEnv is the environment of the shadow tools: a PATH with the
// sbin folders and untranslated messages.
var toolEnv = []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C"}

// shadowTools are the programs the ops run.
var shadowTools = []string{"useradd", "usermod", "userdel", "groupadd", "groupmod", "groupdel", "gpasswd"}

// tool runs one shadow tool with args, after `--root root` when root is
// set, and returns its output; a failure names the command.
func tool(ctx context.Context, sys system.System, root, name string, args ...string) error {
	a := make([]string, 0, len(args)+2)
	if root != "" {
		a = append(a, "--root", root)
	}
	a = append(a, args...)
	// With --root, the tool changes only that tree (Rooted runs it).
	_, err := sys.Run(ctx, system.Command{Path: name, Args: a, Env: toolEnv, UID: -1, GID: -1, Tree: root != ""})
	return err
}

// nameRE is shadow's rule for user and group names (without the length
// limit).
var nameRE = regexp.MustCompile(`^[a-z_][a-z0-9_-]*[$]?$`)

// maxName is the longest user or group name shadow accepts.
const maxName = 32

// validName says why name is not a valid user or group name ("" when it
// is).
func validName(name string) string {
	switch {
	case name == "":
		return "the name is empty"
	case len(name) > maxName:
		return "the name is longer than 32 characters"
	case !nameRE.MatchString(name):
		return "the name must start with a lowercase letter or _, then lowercase letters, digits, _ or - (and may end with $)"
	}
	return ""
}

// rootSupport reports which shadow tools lack a --root option, from
// their --help (through q, so --dry-run still asks).
func rootSupport(ctx context.Context, q system.System) []string {
	var missing []string
	for _, t := range shadowTools {
		out, err := q.Run(ctx, system.Command{Path: t, Args: []string{"--help"}, Env: toolEnv, UID: -1, GID: -1, ReadOnly: true})
		if err == nil && len(out) == 0 {
			continue // a System that runs nothing (DryRun) cannot tell
		}
		if !strings.Contains(string(out), "--root") {
			missing = append(missing, t)
		}
	}
	return missing
}
