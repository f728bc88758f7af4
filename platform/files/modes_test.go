package files

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// diskMode is the type and permission of a machine path, not following
// a final link.
func diskMode(t *testing.T, fx *fixture, machine string) fs.FileMode {
	t.Helper()
	fi, err := os.Lstat(fx.host(machine))
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Type() | fi.Mode().Perm()
}

// TestEtcMode: environment.etc.<path>.mode is honoured whatever the
// method; a mode other than 0644 makes the file a copy, stored where
// only root reads it when others may not read the file.
func TestEtcMode(t *testing.T) {
	tests := []struct {
		name         string
		file         EtcFile
		method, root string
		mode         fs.FileMode
	}{
		{name: "no mode: a link", file: EtcFile{}, method: "link", root: etcRoot},
		{name: "the default mode written out: a link", file: EtcFile{Mode: "0644"}, method: "link", root: etcRoot},
		{name: "0600 with the default method: a private copy", file: EtcFile{Mode: "0600"}, method: "copy", root: etcPrivateRoot, mode: 0o600},
		{name: "0640 with method = link: a private copy", file: EtcFile{Mode: "0640", Method: "link"}, method: "copy", root: etcPrivateRoot, mode: 0o640},
		{name: "0444 with the default method: a public copy", file: EtcFile{Mode: "0444"}, method: "copy", root: etcRoot, mode: 0o444},
		{name: "0755 with the default method: an executable copy", file: EtcFile{Mode: "755"}, method: "copy", root: etcRoot, mode: 0o755},
		{name: "0000 with method = copy: mode 0000, not 0644", file: EtcFile{Mode: "0000", Method: "copy"}, method: "copy", root: etcPrivateRoot, mode: 0},
		{name: "0644 with method = copy: a public copy", file: EtcFile{Mode: "0644", Method: "copy"}, method: "copy", root: etcRoot, mode: 0o644},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			ef := tt.file
			ef.Text = ptr("secret\n")
			p, _, err := fx.plan(&Config{Etc: map[string]EtcFile{"app/secret.conf": ef}})
			if err != nil {
				t.Fatal(err)
			}
			f := record(t, p, "/etc/app/secret.conf")
			if f == nil {
				t.Fatal("no record of /etc/app/secret.conf")
			}
			if f.Method != tt.method || f.Root != tt.root || f.Method == "copy" && f.Mode != tt.mode {
				t.Errorf("method %s, root %s, mode %04o; want %s, %s, %04o", f.Method, f.Root, f.Mode, tt.method, tt.root, tt.mode)
			}
			c, _ := changeByID(p.Changes, "file:/etc/app/secret.conf")
			wantOp := "file.link"
			if tt.method == "copy" {
				wantOp = "file.write"
			}
			if ops := opsOf(c); len(ops) != 1 || ops[0] != wantOp {
				t.Errorf("ops %q, want %s", ops, wantOp)
			}
		})
	}
}

// TestEtcModeSwitch: a 0600 file with the default method is written
// 0600, its content stored in the system-private area; when an existing
// link gets the mode, the link becomes the copy.
func TestEtcModeSwitch(t *testing.T) {
	fx := newFixture(t)
	fx.switchTo(&Config{Etc: map[string]EtcFile{"secret.conf": {Text: ptr("s1\n")}}})
	if fx.readlink("/etc/secret.conf") == "" {
		t.Fatal("/etc/secret.conf is not a link before the mode is set")
	}
	fx.switchTo(&Config{Etc: map[string]EtcFile{"secret.conf": {Text: ptr("s1\n"), Mode: "0600"}}})
	if got := diskMode(t, fx, "/etc/secret.conf"); got != 0o600 {
		t.Errorf("/etc/secret.conf is %v, want -rw-------", got)
	}
	if got := fx.read("/etc/secret.conf"); got != "s1\n" {
		t.Errorf("/etc/secret.conf holds %q", got)
	}
	if fx.exists(stateDir + "/current/files/etc/secret.conf") {
		t.Error("the private content is in the public system area")
	}
	stored := fx.host(stateDir + "/current/files/etc-private/secret.conf")
	if b, err := os.ReadFile(stored); err != nil || string(b) != "s1\n" {
		t.Errorf("stored private content: %q, %v", b, err)
	}
	if m := diskMode(t, fx, stateDir+"/store/system-private"); m&0o077 != 0 {
		t.Errorf("store/system-private is %v; want a folder others cannot enter", m)
	}
}

// TestEtcModeErrors: a mode that cannot be honoured is refused, naming
// the option.
func TestEtcModeErrors(t *testing.T) {
	t.Run("environment.etc folder with a mode", func(t *testing.T) {
		fx := newFixture(t)
		src := filepath.Dir(fx.source("d/x", "x"))
		_, _, err := fx.plan(&Config{Etc: map[string]EtcFile{"app.d": {Source: &src, Mode: "0600"}}})
		configError(`environment.etc."app.d".mode`, "linked as a whole")(t, err)
	})
	t.Run("environment.etc setuid", func(t *testing.T) {
		fx := newFixture(t)
		_, _, err := fx.plan(&Config{Etc: map[string]EtcFile{"motd": {Text: ptr("x"), Mode: "4755"}}})
		configError(`environment.etc."motd".mode`, "setuid")(t, err)
	})
}
