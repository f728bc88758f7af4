package macfake

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"

	"howett.net/plist"
)

func init() { register("launchctl", runLaunchctl) }

// launchdState is the fake launchd (/.macfake/launchd.json).
type launchdState struct {
	// Loaded maps a domain ("system", "gui/501") to its loaded jobs:
	// label → the plist path they were bootstrapped from.
	Loaded map[string]map[string]string `json:"loaded"`
	// LoggedOut lists the uids with no GUI session: their gui/<uid>
	// domain does not exist, as for a user who is not logged in.
	LoggedOut []int `json:"logged_out,omitempty"`
}

func (f *Fake) loadLaunchd() (*launchdState, error) {
	st := &launchdState{}
	if err := f.Load("launchd", st); err != nil {
		return nil, err
	}
	if st.Loaded == nil {
		st.Loaded = map[string]map[string]string{}
	}
	return st, nil
}

// LaunchdJobs returns the jobs loaded in domain ("system", "gui/501"):
// label → plist path.
func (f *Fake) LaunchdJobs(domain string) (map[string]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	st, err := f.loadLaunchd()
	if err != nil {
		return nil, err
	}
	jobs := map[string]string{}
	for l, p := range st.Loaded[domain] {
		jobs[l] = p
	}
	return jobs, nil
}

// SetGUISession says whether the user with uid is logged in: without a
// session their gui/<uid> domain does not exist (every account has one
// until a test says otherwise).
func (f *Fake) SetGUISession(uid int, on bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	st, err := f.loadLaunchd()
	if err != nil {
		return err
	}
	st.LoggedOut = slices.DeleteFunc(st.LoggedOut, func(u int) bool { return u == uid })
	if !on {
		st.LoggedOut = append(st.LoggedOut, uid)
		sort.Ints(st.LoggedOut)
	}
	return f.Save("launchd", st)
}

// runLaunchctl answers `launchctl bootstrap|bootout|print` for the
// system and gui/<uid> domains, with launchctl's messages and exit
// statuses (`asuser` is unwrapped by Run).
func runLaunchctl(_ context.Context, f *Fake, c Call) ([]byte, int) {
	if len(c.Args) == 0 {
		return failf("Usage: launchctl <subcommand> ... | help [subcommand]")
	}
	st, err := f.loadLaunchd()
	if err != nil {
		return failf("macfake: %v", err)
	}
	args := c.Args[1:]
	switch c.Args[0] {
	case "bootstrap":
		return f.bootstrap(st, c.User, args)
	case "bootout":
		return f.bootout(st, c.User, args)
	case "print":
		if len(args) != 1 {
			return failf("Usage: launchctl print <domain-target> | <service-target>")
		}
		return f.print(st, args[0])
	}
	return []byte("macfake: launchctl " + c.Args[0] + " not faked\n"), 127
}

// domainOK checks that domain exists and that user may change it: only
// root changes the system domain; a gui/<uid> domain exists while that
// user has a session and may be changed by root or that user.
func (f *Fake) domainOK(st *launchdState, user, domain, verb string) ([]byte, int) {
	fail := func(code int, msg string) ([]byte, int) {
		return []byte(fmt.Sprintf("%s failed: %d: %s\n", verb, code, msg)), code
	}
	if domain == "system" {
		if user != "root" {
			return fail(1, "Operation not permitted")
		}
		return nil, 0
	}
	uid, ok := guiUID(domain)
	if !ok {
		return []byte("macfake: launchctl domain " + domain + " not faked (only system and gui/<uid>)\n"), 127
	}
	u, exists, err := f.userByUID(uid)
	if err != nil {
		return failf("macfake: %v", err)
	}
	if !exists || slices.Contains(st.LoggedOut, uid) {
		return fail(125, "Domain does not support specified action")
	}
	if user != "root" && user != u.Name {
		return fail(1, "Operation not permitted")
	}
	return nil, 0
}

func guiUID(domain string) (int, bool) {
	s, ok := strings.CutPrefix(domain, "gui/")
	if !ok {
		return 0, false
	}
	uid, err := strconv.Atoi(s)
	return uid, err == nil && uid >= 0
}

// bootstrap loads each plist into the domain after checking it as
// launchd does: a regular file, not writable by group or others, a
// property list with a Label and a program. The fake also insists that
// the file is named <Label>.plist, as gocfg always names it.
func (f *Fake) bootstrap(st *launchdState, user string, args []string) ([]byte, int) {
	if len(args) < 2 {
		return failf("Usage: launchctl bootstrap <domain-target> <path> ...")
	}
	domain := args[0]
	if out, code := f.domainOK(st, user, domain, "Bootstrap"); code != 0 {
		return out, code
	}
	fail := func(code int, msg, why string) ([]byte, int) {
		return []byte(fmt.Sprintf("Bootstrap failed: %d: %s\nmacfake: %s\n", code, msg, why)), code
	}
	for _, p := range args[1:] {
		fi, err := f.System.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return fail(2, "No such file or directory", p)
		}
		if err != nil {
			return fail(5, "Input/output error", err.Error())
		}
		if !fi.Mode().IsRegular() || fi.Mode().Perm()&0o022 != 0 {
			return fail(5, "Input/output error", fmt.Sprintf("%s: bad ownership or permissions (%v)", p, fi.Mode()))
		}
		data, err := f.System.ReadFile(p)
		if err != nil {
			return fail(5, "Input/output error", err.Error())
		}
		var job map[string]any
		if _, err := plist.Unmarshal(data, &job); err != nil {
			return fail(5, "Input/output error", fmt.Sprintf("%s: not a property list: %v", p, err))
		}
		label, _ := job["Label"].(string)
		switch {
		case label == "":
			return fail(5, "Input/output error", p+": no Label")
		case label+".plist" != path.Base(p):
			return fail(5, "Input/output error", fmt.Sprintf("%s: Label %q does not match the file name", p, label))
		case job["ProgramArguments"] == nil && job["Program"] == nil:
			return fail(5, "Input/output error", p+": neither Program nor ProgramArguments")
		}
		if _, loaded := st.Loaded[domain][label]; loaded {
			return fail(5, "Input/output error", fmt.Sprintf("service %s/%s is already loaded", domain, label))
		}
		if st.Loaded[domain] == nil {
			st.Loaded[domain] = map[string]string{}
		}
		st.Loaded[domain][label] = p
	}
	if err := f.Save("launchd", st); err != nil {
		return failf("macfake: %v", err)
	}
	return nil, 0
}

// bootout unloads a service: `bootout <domain>/<label>`, or `bootout
// <domain> <path>` for the job that plist defines.
func (f *Fake) bootout(st *launchdState, user string, args []string) ([]byte, int) {
	var domain, label string
	switch len(args) {
	case 1:
		i := strings.LastIndex(args[0], "/")
		if i < 0 {
			return failf("Usage: launchctl bootout <domain-target> [<path> ...] | <service-target>")
		}
		domain, label = args[0][:i], args[0][i+1:]
	case 2:
		domain = args[0]
		for l, p := range st.Loaded[domain] {
			if p == args[1] {
				label = l
			}
		}
		if label == "" {
			return []byte("Boot-out failed: 5: Input/output error\n"), 5
		}
	default:
		return failf("Usage: launchctl bootout <domain-target> [<path> ...] | <service-target>")
	}
	if out, code := f.domainOK(st, user, domain, "Boot-out"); code != 0 {
		return out, code
	}
	if _, loaded := st.Loaded[domain][label]; !loaded {
		return []byte("Boot-out failed: 113: Could not find specified service\n"), 113
	}
	delete(st.Loaded[domain], label)
	if len(st.Loaded[domain]) == 0 {
		delete(st.Loaded, domain)
	}
	if err := f.Save("launchd", st); err != nil {
		return failf("macfake: %v", err)
	}
	return nil, 0
}

// print describes a domain or a service, in launchctl's shape; an
// unknown one exits 113.
func (f *Fake) print(st *launchdState, target string) ([]byte, int) {
	if target == "system" || (strings.HasPrefix(target, "gui/") && strings.Count(target, "/") == 1) {
		if target != "system" {
			uid, ok := guiUID(target)
			if !ok {
				return []byte("Unrecognized target specifier.\n"), 1
			}
			if _, exists, err := f.userByUID(uid); err != nil || !exists || slices.Contains(st.LoggedOut, uid) {
				return []byte(fmt.Sprintf("Could not find domain for user gui: %d\n", uid)), 113
			}
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%s = {\n\tservices = {\n", target)
		labels := make([]string, 0, len(st.Loaded[target]))
		for l := range st.Loaded[target] {
			labels = append(labels, l)
		}
		sort.Strings(labels)
		for _, l := range labels {
			fmt.Fprintf(&b, "\t\t0\t-\t%s\n", l)
		}
		b.WriteString("\t}\n}\n")
		return []byte(b.String()), 0
	}
	i := strings.LastIndex(target, "/")
	if i < 0 {
		return []byte("Unrecognized target specifier.\n"), 1
	}
	domain, label := target[:i], target[i+1:]
	p, loaded := st.Loaded[domain][label]
	if !loaded {
		in := "system"
		if uid, ok := guiUID(domain); ok {
			in = fmt.Sprintf("user gui: %d", uid)
		}
		return []byte(fmt.Sprintf("Could not find service %q in domain for %s\n", label, in)), 113
	}
	kind := "LaunchDaemon"
	if domain != "system" {
		kind = "LaunchAgent"
	}
	return []byte(fmt.Sprintf("%s = {\n\tactive count = 0\n\tpath = %s\n\ttype = %s\n\tstate = not running\n}\n", target, p, kind)), 0
}
