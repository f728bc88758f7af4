package macfake

import (
	"context"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// TestSystemsetupMas drives systemsetup, socketfilterfw and mas as gocfg
// runs them: answers, refusals and the state they leave.
func TestSystemsetupMas(t *testing.T) {
	ctx := context.Background()
	f := newFake(t, "root", UserRecord{Name: "alice", UID: 501})
	run := func(path string, args ...string) (string, error) {
		out, err := f.Run(ctx, system.Command{Path: path, Args: args, UID: -1, GID: -1})
		return string(out), err
	}
	asAlice := func(path string, args ...string) (string, error) {
		return run("/usr/bin/sudo", append([]string{"-u", "alice", "-H", "--", path}, args...)...)
	}
	for _, tt := range []struct {
		alice bool
		cmd   []string
		out   string
		fail  bool
	}{
		{cmd: []string{SystemsetupPath, "-gettimezone"}, out: "Time Zone: America/Los_Angeles\n"},
		{cmd: []string{SystemsetupPath, "-settimezone", "Europe/Pari"}, out: "Invalid time zone: Europe/Pari\n"},
		{cmd: []string{SystemsetupPath, "-settimezone", "Europe/Paris"}},
		{cmd: []string{SystemsetupPath, "-gettimezone"}, out: "Time Zone: Europe/Paris\n"},
		{alice: true, cmd: []string{SystemsetupPath, "-gettimezone"}, out: needAdmin, fail: true},
		{cmd: []string{SystemsetupPath, "-setremotelogin", "on"}},
		{cmd: []string{SystemsetupPath, "-setremotelogin", "off"}, out: "Do you really", fail: true},
		{cmd: []string{SystemsetupPath, "-getremotelogin"}, out: "Remote Login: On\n"},
		{cmd: []string{SystemsetupPath, "-f", "-setremotelogin", "off"}},
		{cmd: []string{SystemsetupPath, "-getremotelogin"}, out: "Remote Login: Off\n"},
		{cmd: []string{SocketfilterfwPath, "--getglobalstate"}, out: "Firewall is disabled. (State = 0)\n"},
		{alice: true, cmd: []string{SocketfilterfwPath, "--setglobalstate", "on"}, out: "Must be root", fail: true},
		{cmd: []string{SocketfilterfwPath, "--setglobalstate", "on"}, out: "Firewall is enabled. (State = 1)\n"},
		{cmd: []string{"/opt/homebrew/bin/mas", "install", "497799835"}, out: "must not run as root", fail: true},
		{alice: true, cmd: []string{"/opt/homebrew/bin/mas", "install", "497799835"}, out: "==> Installed Xcode"},
		{alice: true, cmd: []string{"/opt/homebrew/bin/mas", "list"}, out: "497799835  Xcode  (1.0)\n"},
		{alice: true, cmd: []string{"/opt/homebrew/bin/mas", "uninstall", "497799835"}, out: "require root", fail: true},
		{cmd: []string{"/opt/homebrew/bin/mas", "uninstall", "497799835"}, out: "==> Uninstalled Xcode"},
		{alice: true, cmd: []string{"/opt/homebrew/bin/mas", "list"}, out: "No installed apps found\n"},
	} {
		r := run
		if tt.alice {
			r = asAlice
		}
		out, err := r(tt.cmd[0], tt.cmd[1:]...)
		if (err != nil) != tt.fail || !strings.Contains(out, tt.out) || tt.out == "" && out != "" {
			t.Errorf("%q (alice %v) = %q, %v; want %q (failing %v)", tt.cmd, tt.alice, out, err, tt.out, tt.fail)
		}
	}
	if s, err := f.SystemSettings(); err != nil || s != (SystemState{TimeZone: "Europe/Paris", Firewall: 1}) {
		t.Errorf("state = %+v, %v", s, err)
	}
	lines, err := f.Log()
	if err != nil || len(lines) != 19 || lines[2] != "[root] /usr/sbin/systemsetup -settimezone Europe/Paris" {
		t.Errorf("log = %q, %v", lines, err)
	}
}

// TestBrewLeavesZap checks brew leaves --installed-on-request (never a
// dependency) and uninstall --zap (casks only, recorded).
func TestBrewLeavesZap(t *testing.T) {
	ctx := context.Background()
	f := newFake(t, "alice")
	if err := f.SeedBrew(BrewState{Formulae: []string{"git", "pcre2"}, Dependencies: []string{"pcre2"}, Casks: []string{"iterm2"}}); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, error) {
		out, err := f.Run(ctx, system.Command{Path: BrewPath, Args: args, UID: -1, GID: -1})
		return string(out), err
	}
	if out, err := run("leaves", "--installed-on-request"); err != nil || out != "git\n" {
		t.Errorf("leaves = %q, %v", out, err)
	}
	if _, err := run("uninstall", "--formula", "--zap", "git"); err == nil {
		t.Error("uninstall --formula --zap: no error")
	}
	if _, err := run("uninstall", "--cask", "--zap", "iterm2"); err != nil {
		t.Fatal(err)
	}
	s, err := f.Brew()
	if err != nil || len(s.Casks) != 0 || len(s.Zapped) != 1 || s.Zapped[0] != "iterm2" {
		t.Errorf("after zap: %+v, %v", s, err)
	}
}
