package systemsetup

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/agext/levenshtein"

	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/system"
)

// The settings, by their keys in the records.
const (
	TimeZone    = "time_zone"
	RemoteLogin = "remote_login"
	Firewall    = "firewall"
)

// keys lists the settings in plan order.
var keys = []string{TimeZone, RemoteLogin, Firewall}

// options are the options that manage each setting.
var options = map[string]string{
	TimeZone:    "time.time_zone",
	RemoteLogin: "services.openssh.enable",
	Firewall:    "networking.firewall.enable",
}

// kind is the Kind of the changes.
const kind = "system"

// SettingID is the resource ID of a setting: "system:time_zone".
func SettingID(key string) string { return "system:" + key }

// The programs, by absolute path (gocfg may run under sudo with a
// reduced PATH).
const (
	Systemsetup    = "/usr/sbin/systemsetup"
	Socketfilterfw = "/usr/libexec/ApplicationFirewall/socketfilterfw"
)

// get reads a setting: the zone's name, or "on" / "off".
func get(ctx context.Context, sys system.System, key string) (string, error) {
	c := macos.Query(Systemsetup, "-gettimezone")
	prefix := "Time Zone:"
	switch key {
	case RemoteLogin:
		c, prefix = macos.Query(Systemsetup, "-getremotelogin"), "Remote Login:"
	case Firewall:
		c, prefix = macos.Query(Socketfilterfw, "--getglobalstate"), "Firewall is"
	}
	out, err := sys.Run(ctx, c)
	if err != nil {
		return "", fmt.Errorf("read the %s: %w", what(key), err)
	}
	for _, l := range strings.Split(string(out), "\n") {
		l = strings.TrimSpace(l)
		v, ok := strings.CutPrefix(l, prefix)
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch key {
		case TimeZone:
			return v, nil
		case RemoteLogin:
			return strings.ToLower(v), nil
		default:
			if strings.HasPrefix(v, "disabled") {
				return "off", nil
			}
			return "on", nil
		}
	}
	return "", fmt.Errorf("read the %s: no %q in %s's answer %q", what(key), prefix, c.Path, strings.TrimSpace(string(out)))
}

// set sets a setting and reads it back: systemsetup exits 0 when it
// refuses a value, with the reason on its output.
func set(ctx context.Context, sys system.System, key, v string) error {
	c := macos.Command(Systemsetup, "-settimezone", v)
	switch key {
	case RemoteLogin:
		// -f: turning Remote Login off asks for a confirmation otherwise.
		c = macos.Command(Systemsetup, "-f", "-setremotelogin", v)
	case Firewall:
		c = macos.Command(Socketfilterfw, "--setglobalstate", v)
	}
	out, err := sys.Run(ctx, c)
	if err != nil {
		return fmt.Errorf("set the %s to %s: %w", what(key), v, err)
	}
	got, err := get(ctx, sys, key)
	if err != nil {
		return err
	}
	if got != v {
		return fmt.Errorf("set the %s to %s: it is still %s: %s", what(key), v, got, strings.TrimSpace(string(out)))
	}
	return nil
}

// what names a setting in messages.
func what(key string) string {
	return map[string]string{TimeZone: "time zone", RemoteLogin: "Remote Login", Firewall: "application firewall"}[key]
}

// zones returns `systemsetup -listtimezones`.
func zones(ctx context.Context, sys system.System) ([]string, error) {
	out, err := sys.Run(ctx, macos.Query(Systemsetup, "-listtimezones"))
	if err != nil {
		return nil, fmt.Errorf("list the time zones: %w", err)
	}
	var zs []string
	for _, l := range bytes.Split(out, []byte("\n")) {
		z := strings.TrimSpace(string(l))
		if z == "" || strings.HasSuffix(z, ":") || strings.ContainsAny(z, " \t") {
			continue
		}
		zs = append(zs, z)
	}
	return zs, nil
}

// closeZones names the zones closest to z (at most five), comparing
// whole names and the city part.
func closeZones(z string, zs []string) []string {
	type cand struct {
		name string
		d    int
	}
	lz := strings.ToLower(z)
	city := lz[strings.LastIndexByte(lz, '/')+1:]
	var cs []cand
	for _, n := range zs {
		ln := strings.ToLower(n)
		d := min(levenshtein.Distance(lz, ln, nil), levenshtein.Distance(city, ln[strings.LastIndexByte(ln, '/')+1:], nil))
		if d <= max(2, len(city)/3) {
			cs = append(cs, cand{n, d})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].d < cs[j].d || cs[i].d == cs[j].d && cs[i].name < cs[j].name })
	var out []string
	for i := 0; i < len(cs) && i < 5; i++ {
		out = append(out, cs[i].name)
	}
	return out
}
