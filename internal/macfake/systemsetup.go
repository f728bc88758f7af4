package macfake

import (
	"context"
	"slices"
	"strings"
)

func init() {
	register("systemsetup", runSystemsetup)
	register("socketfilterfw", runSocketfilterfw)
}

// SystemsetupPath and SocketfilterfwPath are where macOS keeps the two
// programs.
const (
	SystemsetupPath    = "/usr/sbin/systemsetup"
	SocketfilterfwPath = "/usr/libexec/ApplicationFirewall/socketfilterfw"
)

// SystemState is what systemsetup and socketfilterfw answer from
// (/.macfake/system.json): the time zone, Remote Login, and the
// application firewall's global state (0 off, 1 on, 2 blocking all
// incoming connections).
type SystemState struct {
	TimeZone    string `json:"time_zone"`
	RemoteLogin bool   `json:"remote_login"`
	Firewall    int    `json:"firewall"`
}

// DefaultTimeZone is the zone of a fresh fake Mac.
const DefaultTimeZone = "America/Los_Angeles"

// TimeZones is the fake's `systemsetup -listtimezones` (a part of a real
// Mac's, which has some 430).
var TimeZones = []string{
	"Africa/Cairo", "Africa/Johannesburg", "Africa/Lagos", "America/Chicago", "America/Denver", "America/Los_Angeles",
	"America/New_York", "America/Sao_Paulo", "America/Toronto", "Asia/Kolkata", "Asia/Shanghai", "Asia/Singapore",
	"Asia/Tokyo", "Australia/Sydney", "Europe/Amsterdam", "Europe/Berlin", "Europe/Lisbon", "Europe/London",
	"Europe/Madrid", "Europe/Paris", "Europe/Rome", "Europe/Zurich", "GMT", "Pacific/Auckland", "Pacific/Honolulu",
}

// SystemSettings returns the fake's time zone, Remote Login and firewall state.
func (f *Fake) SystemSettings() (SystemState, error) { return withLock(f, f.loadSystem) }

// SetSystem replaces them, as the Mac's owner set them.
func (f *Fake) SetSystem(s SystemState) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Save("system", s)
}

func (f *Fake) loadSystem() (SystemState, error) {
	return loadOr(f, "system", SystemState{TimeZone: DefaultTimeZone})
}

const needAdmin = "You need administrator access to run this tool... exiting!\n"

// runSystemsetup answers, as root, `systemsetup -gettimezone`,
// `-settimezone <zone>`, `-listtimezones`, `-getremotelogin` and `[-f]
// -setremotelogin on|off`. Like the real one it exits 0 when it refuses
// a zone (callers read the zone back); turning Remote Login off without
// -f asks for a confirmation on the terminal, which the fake refuses.
func runSystemsetup(_ context.Context, f *Fake, c Call) ([]byte, int) {
	if c.User != "root" {
		return []byte(needAdmin), 1
	}
	a := c.Args
	force := len(a) > 0 && a[0] == "-f"
	if force {
		a = a[1:]
	}
	s, err := f.loadSystem()
	if err != nil {
		return failf("macfake: %v", err)
	}
	switch {
	case len(a) == 1 && a[0] == "-gettimezone":
		return []byte("Time Zone: " + s.TimeZone + "\n"), 0
	case len(a) == 1 && a[0] == "-listtimezones":
		return []byte("Time Zones:\n    " + strings.Join(TimeZones, "\n    ") + "\n"), 0
	case len(a) == 2 && a[0] == "-settimezone":
		if !slices.Contains(TimeZones, a[1]) {
			return []byte("Invalid time zone: " + a[1] + "\n"), 0
		}
		s.TimeZone = a[1]
	case len(a) == 1 && a[0] == "-getremotelogin":
		return []byte("Remote Login: " + map[bool]string{true: "On", false: "Off"}[s.RemoteLogin] + "\n"), 0
	case len(a) == 2 && a[0] == "-setremotelogin" && (a[1] == "on" || a[1] == "off"):
		if a[1] == "off" && s.RemoteLogin && !force {
			return []byte("Do you really want to turn remote login off? If you do, you will lose this connection and can only turn it back on locally at the server (yes/no)? \nmacfake: no terminal to answer on\n"), 1
		}
		s.RemoteLogin = a[1] == "on"
	default:
		return failf("macfake: systemsetup %s is not faked", strings.Join(c.Args, " "))
	}
	if err := f.Save("system", s); err != nil {
		return failf("macfake: %v", err)
	}
	return nil, 0
}

// runSocketfilterfw answers `socketfilterfw --getglobalstate` and, as
// root, `--setglobalstate on|off`.
func runSocketfilterfw(_ context.Context, f *Fake, c Call) ([]byte, int) {
	s, err := f.loadSystem()
	if err != nil {
		return failf("macfake: %v", err)
	}
	state := func() []byte {
		if s.Firewall == 0 {
			return []byte("Firewall is disabled. (State = 0)\n")
		}
		return []byte("Firewall is enabled. (State = " + string(rune('0'+s.Firewall)) + ")\n")
	}
	a := c.Args
	switch {
	case len(a) == 1 && a[0] == "--getglobalstate":
		return state(), 0
	case len(a) == 2 && a[0] == "--setglobalstate" && (a[1] == "on" || a[1] == "off"):
		if c.User != "root" {
			return []byte("Must be root to change settings.\n"), 1
		}
		s.Firewall = map[string]int{"on": 1, "off": 0}[a[1]]
		if err := f.Save("system", s); err != nil {
			return failf("macfake: %v", err)
		}
		return state(), 0
	}
	return failf("macfake: socketfilterfw %s is not faked", strings.Join(a, " "))
}
