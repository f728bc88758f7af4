package touchid_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/macos/touchid"
	"github.com/gocfg/gocfg/platform/system"
)

// Apple's /etc/pam.d/sudo of macOS 14 (Sonoma) and of macOS 13.
const (
	sonomaSudo = `# sudo: auth account password session
auth       include        sudo_local
auth       sufficient     pam_smartcard.so
auth       required       pam_opendirectory.so
account    required       pam_permit.so
password   required       pam_deny.so
session    required       pam_permit.so
`
	venturaSudo = `# sudo: auth account password session
auth       sufficient     pam_smartcard.so
auth       required       pam_opendirectory.so
account    required       pam_permit.so
password   required       pam_deny.so
session    required       pam_permit.so
`
)

func TestWarnings(t *testing.T) {
	reattach := "/opt/homebrew/lib/pam/pam_reattach.so"
	tests := []struct {
		name      string
		sudo      string // "" for no file
		installed bool   // pam_reattach.so is there
		cfg       touchid.Config
		want      []string
	}{
		{"off", venturaSudo, false, touchid.Config{}, nil},
		{"sonoma", sonomaSudo, false, touchid.Config{TouchIDSudo: true}, nil},
		{"ventura has no sudo_local", venturaSudo, false, touchid.Config{TouchIDSudo: true}, []string{"no `auth include sudo_local` line (macOS before 14 Sonoma)"}},
		{"no sudo file", "", false, touchid.Config{TouchIDSudo: true}, []string{"/etc/pam.d/sudo does not exist"}},
		{"reattach installed", sonomaSudo, true, touchid.Config{TouchIDSudo: true, Reattach: true, ReattachPath: reattach}, nil},
		{"reattach missing", sonomaSudo, false, touchid.Config{TouchIDSudo: true, Reattach: true, ReattachPath: reattach}, []string{"/opt/homebrew/lib/pam/pam_reattach.so is not there"}},
		{"reattach installed by this switch", sonomaSudo, false, touchid.Config{TouchIDSudo: true, Reattach: true, ReattachPath: reattach, Packages: []string{"pam-reattach"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			if tt.sudo != "" {
				testfs.Write(t, filepath.Join(root, "etc/pam.d/sudo"), tt.sudo)
			}
			if tt.installed {
				testfs.Write(t, filepath.Join(root, reattach), "ELF")
			}
			cfg := tt.cfg
			part, err := (&touchid.Provider{Machine: &machine.Machine{Sys: system.NewRooted(root, system.NewReal())}, Config: &cfg}).Plan(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(part.Warnings) != len(tt.want) {
				t.Fatalf("warnings = %q, want %d", part.Warnings, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(part.Warnings[i], w) {
					t.Errorf("warning %q lacks %q", part.Warnings[i], w)
				}
			}
			if len(part.Changes) != 0 {
				t.Errorf("changes: %v", part.Changes)
			}
		})
	}
}

func TestConfigFromJSON(t *testing.T) {
	c, err := touchid.ConfigFromJSON([]byte(`{"macos":{"touch_id_sudo":true,"touch_id_sudo_reattach":true,"touch_id_sudo_reattach_path":"/x.so"},"environment":{"system_packages":["pam-reattach"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if !c.TouchIDSudo || !c.Reattach || c.ReattachPath != "/x.so" || !slices.Equal(c.Packages, []string{"pam-reattach"}) {
		t.Fatalf("config = %+v", c)
	}
}
