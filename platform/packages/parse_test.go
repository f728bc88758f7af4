package packages

import (
	"slices"
	"strings"
	"testing"
)

func TestParseDpkgQuery(t *testing.T) {
	out := "adduser\tinstall ok installed\n" +
		"hello\tdeinstall ok config-files\n" +
		"vim\thold ok installed\n" +
		"broken\tinstall reinstreq half-installed\n" +
		"unpacked\tinstall ok unpacked\n" +
		"garbage line\n"
	got := parseDpkgQuery([]byte(out))
	var names []string
	for n := range got {
		names = append(names, n)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"adduser", "vim"}) {
		t.Errorf("installed = %q", names)
	}
}

func TestParseAptPolicy(t *testing.T) {
	out := `hello:
  Installed: (none)
  Candidate: 2.10-3
  Version table:
     2.10-3 500
        500 http://deb.debian.org/debian bookworm/main amd64 Packages
awk:
  Installed: (none)
  Candidate: (none)
  Version table:
libc6:i386:
  Installed: (none)
  Candidate: 2.36-9
`
	got := parseAptPolicy([]byte(out))
	if got["hello"] != "2.10-3" || got["awk"] != "(none)" || got["libc6:i386"] != "2.36-9" || len(got) != 3 {
		t.Errorf("policy = %q", got)
	}
}

func TestParseRPMQuery(t *testing.T) {
	out := "git\npackage hello is not installed\nbash\n"
	got := parseRPMQuery([]byte(out), []string{"git", "hello", "bash", "jq"})
	if !got["git"] || got["hello"] || !got["bash"] || got["jq"] {
		t.Errorf("rpm -q = %v", got)
	}
}

func TestParsePacmanQuery(t *testing.T) {
	out := "git 2.44.0-1\nerror: package 'hello' was not found\nbash 5.2.026-2\n"
	got := parsePacmanQuery([]byte(out), []string{"git", "hello", "bash"})
	if !got["git"] || got["hello"] || !got["bash"] {
		t.Errorf("pacman -Q = %v", got)
	}
}

func TestCommands(t *testing.T) {
	for _, tt := range []struct {
		b            backend
		install, rmv string
	}{
		{apt{}, "apt-get -o DPkg::Lock::Timeout=120 install -y --no-install-recommends -- a b", "apt-get -o DPkg::Lock::Timeout=120 remove -y -- a b"},
		{dnf{}, "dnf install -y -- a b", "dnf remove -y -- a b"},
		{pacman{}, "pacman -S --noconfirm --needed -- a b", "pacman -Rs --noconfirm -- a b"},
	} {
		in, rm := tt.b.install([]string{"a", "b"}), tt.b.remove([]string{"a", "b"})
		if got := in.Path + " " + strings.Join(in.Args, " "); got != tt.install {
			t.Errorf("%s install: %q", tt.b.name(), got)
		}
		if got := rm.Path + " " + strings.Join(rm.Args, " "); got != tt.rmv {
			t.Errorf("%s remove: %q", tt.b.name(), got)
		}
		if in.UID != -1 || in.GID != -1 || !slices.Contains(in.Env, "LC_ALL=C") {
			t.Errorf("%s: command %+v", tt.b.name(), in)
		}
	}
}
