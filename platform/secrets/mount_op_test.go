package secrets

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// TestOnRAM: the file system of /run/gocfg/secrets.d is that of the
// longest mount point above it in /proc/self/mountinfo.
func TestOnRAM(t *testing.T) {
	for _, tt := range []struct {
		name, mountinfo string
		want            bool
	}{
		{"run is a tmpfs", "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n25 22 0:21 / /run rw,nosuid - tmpfs tmpfs rw\n", true},
		{"run on the root disk", "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n26 22 0:22 / /run/user/1000 rw - tmpfs tmpfs rw\n", false},
		{"secrets.d mounted by gocfg", "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n30 22 0:30 / /run/gocfg/secrets.d rw,nodev - tmpfs gocfg-secrets rw\n", true},
		{"optional fields", "22 1 8:1 / / rw shared:1 - ext4 /dev/sda1 rw\n25 22 0:21 / /run rw shared:5 master:1 - ramfs none rw\n", true},
		{"an escaped name is another folder", "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n25 22 0:21 / /run\\040x rw - tmpfs tmpfs rw\n", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			if err := os.MkdirAll(filepath.Join(root, "proc/self"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(root, "proc/self/mountinfo"), []byte(tt.mountinfo), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := onRAM(system.NewRooted(root, system.NewReal()), setsDir)
			if err != nil || got != tt.want {
				t.Errorf("onRAM = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}
