package macfake

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

func init() {
	register("sysadminctl", runSysadminctl)
	// createhomedir belongs with sysadminctl: it finishes what
	// `sysadminctl -addUser -home` leaves undone.
	register("createhomedir", runCreatehomedir)
}

// sysadminctlState is /.macfake/sysadminctl.json: Fail, when set, makes
// every -addUser and -deleteUser print it and change nothing, exiting 0
// as the real tool does.
type sysadminctlState struct {
	Fail string `json:"fail,omitempty"`
}

// BreakSysadminctl makes sysadminctl -addUser and -deleteUser fail the
// way the real one does (the message printed, exit status 0, nothing
// changed) until called again with "".
func (f *Fake) BreakSysadminctl(msg string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Save("sysadminctl", sysadminctlState{Fail: msg})
}

// sysadminctlLog writes lines the way sysadminctl logs them: a time
// stamp, the process, and the message.
func sysadminctlLog(lines ...string) []byte {
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, "2024-04-29 14:32:47.618 sysadminctl[59582:36005535] %s\n", l)
	}
	return []byte(b.String())
}

// runSysadminctl answers `sysadminctl -addUser <name> [-fullName n]
// [-UID n] [-GID n] [-shell p] [-password p] [-home h] [-admin]` and
// `sysadminctl -deleteUser <name> [-keepHome|-secure]`. Like the real
// tool it exits 0 when an account cannot be made or deleted, and says why
// on its output; without root it fails.
func runSysadminctl(_ context.Context, f *Fake, c Call) ([]byte, int) {
	if c.User != "root" {
		return sysadminctlLog("sysadminctl should be run as root, or in interactive mode! (Error Domain=NSOSStatusErrorDomain Code=-60007)"), 1
	}
	if len(c.Args) < 2 {
		return failf("macfake: sysadminctl %s is not faked", strings.Join(c.Args, " "))
	}
	var st sysadminctlState
	if err := f.Load("sysadminctl", &st); err != nil {
		return failf("macfake: %v", err)
	}
	d, err := f.directory()
	if err != nil {
		return failf("macfake: %v", err)
	}
	var out []byte
	switch c.Args[0] {
	case "-addUser":
		out = d.addUser(f, c.Args[1], c.Args[2:], st.Fail)
	case "-deleteUser":
		out = d.deleteUser(f, c.Args[1], c.Args[2:], st.Fail)
	default:
		return failf("macfake: sysadminctl %s is not faked", c.Args[0])
	}
	if err := d.save(f); err != nil {
		return failf("macfake: %v", err)
	}
	return out, 0
}

func (d *directory) addUser(f *Fake, name string, args []string, fail string) []byte {
	u := UserRecord{Name: name, UID: -1, GID: 20, Shell: "/bin/zsh", RealName: name}
	admin, home := false, ""
	for i := 0; i < len(args); i++ {
		flag := args[i]
		if flag == "-admin" {
			admin = true
			continue
		}
		if i+1 >= len(args) {
			return sysadminctlLog("Option " + flag + " requires a value")
		}
		val := args[i+1]
		i++
		switch flag {
		case "-fullName":
			u.RealName = val
		case "-UID", "-GID":
			n, err := strconv.Atoi(val)
			if err != nil {
				return sysadminctlLog("Invalid " + flag + " " + val)
			}
			if flag == "-UID" {
				u.UID = n
			} else {
				u.GID = n
			}
		case "-shell":
			u.Shell = val
		case "-home":
			home = val
		case "-password", "-hint", "-picture", "-adminUser", "-adminPassword":
		default:
			return sysadminctlLog("Unknown option " + flag)
		}
	}
	log := []string{"----------------------------", "No clear text password or interactive option was specified (adduser, change/reset password will not allow user to use FDE) !", "----------------------------"}
	if fail != "" {
		return sysadminctlLog(append(log, fail)...)
	}
	if _, ok := d.users[name]; ok {
		return sysadminctlLog(append(log, fmt.Sprintf("Creating user record failed: %s already exists", name))...)
	}
	if u.UID < 0 {
		for u.UID = 501; d.uidTaken(u.UID); u.UID++ {
		}
	} else if d.uidTaken(u.UID) {
		return sysadminctlLog(append(log, fmt.Sprintf("Creating user record failed: UID %d is already in use", u.UID))...)
	}
	u.Home = home
	if home == "" {
		// Without -home sysadminctl provisions /Users/<name>; with it, it
		// leaves the folder to createhomedir.
		u.Home = "/Users/" + name
		if err := f.System.MkdirAll(u.Home+"/Library/Preferences", 0o755); err != nil {
			return sysadminctlLog(append(log, "Creating home directory failed: "+err.Error())...)
		}
	}
	d.users[name] = u
	if admin {
		d.setMember("admin", name, true)
	}
	return sysadminctlLog(append(log, fmt.Sprintf("Creating user record… Assigning UID: %d GID: %d", u.UID, u.GID))...)
}

func (d *directory) uidTaken(uid int) bool {
	for _, u := range d.users {
		if u.UID == uid {
			return true
		}
	}
	return false
}

func (d *directory) deleteUser(f *Fake, name string, args []string, fail string) []byte {
	keepHome := false
	for _, a := range args {
		switch a {
		case "-keepHome":
			keepHome = true
		case "-secure":
		default:
			return sysadminctlLog("Unknown option " + a)
		}
	}
	if fail != "" {
		return sysadminctlLog(fail)
	}
	u, ok := d.users[name]
	if !ok {
		return sysadminctlLog("### Error:-14136 File:DSRecord.m", "Unknown user "+name)
	}
	for g := range d.groups {
		d.setMember(g, name, false)
	}
	delete(d.users, name)
	delete(d.extra, "/Users/"+name)
	if !keepHome && u.Home != "" && u.Home != "/var/empty" {
		if err := f.System.RemoveAll(u.Home); err != nil {
			return sysadminctlLog("Deleting home directory failed: " + err.Error())
		}
	}
	return sysadminctlLog("Deleting record for " + name)
}

// runCreatehomedir answers `createhomedir -c -u <name>`: the user's home
// folder, with a Library/Preferences inside, as macOS's user template has.
func runCreatehomedir(_ context.Context, f *Fake, c Call) ([]byte, int) {
	if c.User != "root" {
		return failf("createhomedir: must be run as root")
	}
	if len(c.Args) != 3 || c.Args[0] != "-c" || c.Args[1] != "-u" {
		return failf("macfake: createhomedir %s is not faked", strings.Join(c.Args, " "))
	}
	u, ok, err := f.user(c.Args[2])
	if err != nil {
		return failf("macfake: %v", err)
	}
	if !ok {
		return failf("createhomedir: user %s not found", c.Args[2])
	}
	if err := f.System.MkdirAll(u.Home+"/Library/Preferences", 0o755); err != nil {
		return failf("createhomedir: %v", err)
	}
	return []byte("creating home directories for (" + u.Name + ")\n"), 0
}
