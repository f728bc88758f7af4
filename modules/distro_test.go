package modules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDistroFamily(t *testing.T) {
	tests := []struct{ goos, osRelease, want string }{
		{"darwin", "", "macos"},
		{"darwin", "ID=debian\n", "macos"},
		{"linux", "", "linux"},
		{"linux", "NAME=x\n", "linux"},
		{"linux", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n", "debian"},
		{"linux", "ID=ubuntu\nID_LIKE=debian\n", "debian"},
		{"linux", "ID=linuxmint\nID_LIKE=\"ubuntu debian\"\n", "debian"},
		{"linux", "ID=raspbian\nID_LIKE=debian\n", "debian"},
		{"linux", "ID=fedora\n", "fedora"},
		{"linux", "ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n", "fedora"},
		{"linux", "ID='almalinux'\nID_LIKE='rhel centos fedora'\n", "fedora"},
		{"linux", "ID=arch\n", "arch"},
		{"linux", "ID=manjaro\nID_LIKE=arch\n", "arch"},
		{"linux", "ID=\"opensuse-tumbleweed\"\nID_LIKE=\"opensuse suse\"\n", "suse"},
		{"linux", "ID=opensuse-leap\n", "suse"},
		{"linux", "ID=alpine\n", "alpine"},
		{"linux", "ID=nixos\n", "nixos"},
		{"linux", "ID=Gentoo\n", "gentoo"},
		{"linux", "  ID=debian  \n# ID=fedora\n", "debian"},
		// Not an os-release(5) ID: its default, never "" (tester AS,
		// from a hostile deploy target; tester AT: "" made
		// "files/${host.distro}" name files/ itself).
		{"linux", "ID=..\n", "linux"},
		{"linux", "ID=.\n", "linux"},
		{"linux", "ID=\"../../.ssh\"\n", "linux"},
		{"linux", "ID=\"a/b\"\n", "linux"},
		{"linux", "ID=\".hidden\"\n", "linux"},
		{"linux", "ID=\"deb ian\"\n", "linux"},
		{"linux", "ID=\"\"\n", "linux"},
		{"linux", "ID=\"" + strings.Repeat("a", 65) + "\"\n", "linux"},
		{"linux", "ID=\"" + strings.Repeat("a", 64) + "\"\n", strings.Repeat("a", 64)},
		{"linux", "ID=..\nID_LIKE=debian\n", "linux"},
		{"linux", "ID=my-distro_2.0\n", "my-distro_2.0"},
	}
	for _, tt := range tests {
		if got := DistroFamily(tt.goos, []byte(tt.osRelease)); got != tt.want {
			t.Errorf("DistroFamily(%s, %q) = %q, want %q", tt.goos, tt.osRelease, got, tt.want)
		}
	}
}

// TestReadDistro: a tree's etc/os-release, else usr/lib/os-release.
func TestReadDistro(t *testing.T) {
	root := t.TempDir()
	if got := ReadDistro("linux", root); got != "linux" {
		t.Errorf("empty tree: %q, want os-release(5)'s default", got)
	}
	write := func(rel, text string) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("usr/lib/os-release", "ID=arch\n")
	if got := ReadDistro("linux", root); got != "arch" {
		t.Errorf("usr/lib/os-release: %q, want arch", got)
	}
	write("etc/os-release", "ID=debian\n")
	if got := ReadDistro("linux", root); got != "debian" {
		t.Errorf("etc/os-release: %q, want debian", got)
	}
	if got := ReadDistro("darwin", root); got != "macos" {
		t.Errorf("darwin: %q, want macos", got)
	}
}
