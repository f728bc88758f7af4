package files

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/gocfg/gocfg/platform/machine"
)

// sourceMode writes a source file with mode m (host path returned).
func (fx *fixture) sourceMode(rel, content string, m fs.FileMode) string {
	fx.t.Helper()
	p := fx.source(rel, content)
	if err := os.Chmod(p, m); err != nil {
		fx.t.Fatal(err)
	}
	return p
}

// diskMode is the type and permission of a machine path, not following
// a final link.
func diskMode(t *testing.T, fx *fixture, machine string) fs.FileMode {
	t.Helper()
	fi, err := os.Lstat(fx.Host(machine))
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
		{name: "the default mode written out: a link", file: EtcFile{Mode: ptr("0644")}, method: "link", root: etcRoot},
		{name: "0600 with the default method: a private copy", file: EtcFile{Mode: ptr("0600")}, method: "copy", root: etcPrivateRoot, mode: 0o600},
		{name: "0640 with method = link: a private copy", file: EtcFile{Mode: ptr("0640"), Method: "link"}, method: "copy", root: etcPrivateRoot, mode: 0o640},
		{name: "0444 with the default method: a public copy", file: EtcFile{Mode: ptr("0444")}, method: "copy", root: etcRoot, mode: 0o444},
		{name: "0755 with the default method: an executable copy", file: EtcFile{Mode: ptr("755")}, method: "copy", root: etcRoot, mode: 0o755},
		{name: "0000 with method = copy: mode 0000, not 0644", file: EtcFile{Mode: ptr("0000"), Method: "copy"}, method: "copy", root: etcPrivateRoot, mode: 0},
		{name: "0644 with method = copy: a public copy", file: EtcFile{Mode: ptr("0644"), Method: "copy"}, method: "copy", root: etcRoot, mode: 0o644},
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
	fx.switchTo(&Config{Etc: map[string]EtcFile{"secret.conf": {Text: ptr("s1\n"), Mode: ptr("0600")}}})
	if got := diskMode(t, fx, "/etc/secret.conf"); got != 0o600 {
		t.Errorf("/etc/secret.conf is %v, want -rw-------", got)
	}
	if got := fx.Read("/etc/secret.conf"); got != "s1\n" {
		t.Errorf("/etc/secret.conf holds %q", got)
	}
	if fx.Exists(stateDir + "/current/files/etc/secret.conf") {
		t.Error("the private content is in the public system area")
	}
	stored := fx.Host(stateDir + "/current/files/etc-private/secret.conf")
	if b, err := os.ReadFile(stored); err != nil || string(b) != "s1\n" {
		t.Errorf("stored private content: %q, %v", b, err)
	}
	if m := diskMode(t, fx, stateDir+"/store/system-private"); m&0o077 != 0 {
		t.Errorf("store/system-private is %v; want a folder others cannot enter", m)
	}
}

// TestHomeMode: home.<user>.files.<target>.mode, and the mode of copies
// without one: the source's, without write for group and others.
func TestHomeMode(t *testing.T) {
	tests := []struct {
		name string
		// src, when set, is the source's mode (else the file is text).
		src  fs.FileMode
		file HomeFile
		// want: method, mode (copies), exec.
		method string
		mode   fs.FileMode
		exec   bool
	}{
		{name: "a link without mode stays a link", src: 0o600, method: "link"},
		{name: "mode 0600 makes a link a copy", file: HomeFile{Mode: ptr("0600")}, method: "copy", mode: 0o600},
		{name: "mode 0600 with method = link: a copy", file: HomeFile{Mode: ptr("0600"), Method: "link"}, method: "copy", mode: 0o600},
		{name: "mode 0644 on a 0600 source copy", src: 0o600, file: HomeFile{Mode: ptr("0644"), Method: "copy"}, method: "copy", mode: 0o644},
		{name: "mode 0700: executable copy", file: HomeFile{Mode: ptr("0700")}, method: "copy", mode: 0o700, exec: true},
		{name: "mode 0700 with executable = true", file: HomeFile{Mode: ptr("0700"), Executable: ptr(true)}, method: "copy", mode: 0o700, exec: true},
		{name: "mode 0600 of a 0755 source: not executable", src: 0o755, file: HomeFile{Mode: ptr("0600")}, method: "copy", mode: 0o600},
		{name: "copy of a 0600 source stays 0600", src: 0o600, file: HomeFile{Method: "copy"}, method: "copy", mode: 0o600},
		{name: "copy of a 0640 source stays 0640", src: 0o640, file: HomeFile{Method: "copy"}, method: "copy", mode: 0o640},
		{name: "copy of a 0664 source: no group write", src: 0o664, file: HomeFile{Method: "copy"}, method: "copy", mode: 0o644},
		{name: "copy of a 0777 source: no write for others", src: 0o777, file: HomeFile{Method: "copy"}, method: "copy", mode: 0o755, exec: true},
		{name: "copy of a 0600 source, executable", src: 0o600, file: HomeFile{Method: "copy", Executable: ptr(true)}, method: "copy", mode: 0o700, exec: true},
		{name: "copy of a 0644 source, executable", src: 0o644, file: HomeFile{Method: "copy", Executable: ptr(true)}, method: "copy", mode: 0o755, exec: true},
		{name: "copy of a 0750 source, not executable", src: 0o750, file: HomeFile{Method: "copy", Executable: ptr(false)}, method: "copy", mode: 0o640},
		{name: "copy of text", file: HomeFile{Method: "copy"}, method: "copy", mode: 0o644},
		{name: "copy of text, executable", file: HomeFile{Method: "copy", Executable: ptr(true)}, method: "copy", mode: 0o755, exec: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			hf := tt.file
			if tt.src != 0 {
				hf.Source = ptr(fx.sourceMode("f", "secret\n", tt.src))
			} else {
				hf.Text = ptr("secret\n")
			}
			p, _, err := fx.plan(home(map[string]HomeFile{".f": hf}))
			if err != nil {
				t.Fatal(err)
			}
			f := record(t, p, "/home/alice/.f")
			if f == nil {
				t.Fatal("no record of ~/.f")
			}
			if f.Method != tt.method || f.Method == "copy" && (f.Mode != tt.mode || f.Exec != tt.exec) {
				t.Errorf("method %s, mode %04o, exec %v; want %s, %04o, %v", f.Method, f.Mode, f.Exec, tt.method, tt.mode, tt.exec)
			}
			if tt.method != "copy" {
				return
			}
			if o := op[*WriteOp](t, p, "file:~alice/.f"); o.Mode != tt.mode {
				t.Errorf("written with mode %04o, want %04o", o.Mode, tt.mode)
			}
		})
	}
}

// TestHomeModeErrors: a mode that cannot be honoured is refused, naming
// the option.
func TestHomeModeErrors(t *testing.T) {
	const opt = `home.alice.files.".f"`
	tests := []struct {
		name   string
		folder bool // the source is a folder
		file   HomeFile
		check  func(t *testing.T, err error)
	}{
		{name: "not octal", file: HomeFile{Mode: ptr("rw-------")}, check: configError(opt+".mode", "is not an octal file mode")},
		{name: "setuid", file: HomeFile{Mode: ptr("4755")}, check: configError(opt+".mode", "setuid")},
		{name: "live", file: HomeFile{Mode: ptr("0600"), Method: "live"}, check: configError(opt+".mode", `method = "live"`)},
		{name: "executable = true without execute bits", file: HomeFile{Mode: ptr("0600"), Executable: ptr(true)}, check: configError(opt, "executable = true, but mode \"0600\" has no execute bit")},
		{name: "executable = false with execute bits", file: HomeFile{Mode: ptr("0755"), Executable: ptr(false)}, check: configError(opt, "executable = false, but mode \"0755\" has execute bits")},
		{name: "a folder linked as a whole", folder: true, file: HomeFile{Mode: ptr("0600")}, check: configError(opt+".mode", "linked as a whole")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			hf := tt.file
			src := fx.source("f", "x")
			if tt.folder {
				src = filepath.Dir(fx.source("d/x", "x"))
			}
			hf.Source = &src
			_, _, err := fx.plan(home(map[string]HomeFile{".f": hf}))
			if err == nil {
				t.Fatal("plan succeeded")
			}
			tt.check(t, err)
		})
	}
	t.Run("environment.etc folder with a mode", func(t *testing.T) {
		fx := newFixture(t)
		src := filepath.Dir(fx.source("d/x", "x"))
		_, _, err := fx.plan(&Config{Etc: map[string]EtcFile{"app.d": {Source: &src, Mode: ptr("0600")}}})
		configError(`environment.etc."app.d".mode`, "linked as a whole")(t, err)
	})
	t.Run("environment.etc setuid", func(t *testing.T) {
		fx := newFixture(t)
		_, _, err := fx.plan(&Config{Etc: map[string]EtcFile{"motd": {Text: ptr("x"), Mode: ptr("4755")}}})
		configError(`environment.etc."motd".mode`, "setuid")(t, err)
	})
}

// TestHomeModeRecursive: a mode on a recursive folder applies to each of
// its files, which become copies.
func TestHomeModeRecursive(t *testing.T) {
	fx := newFixture(t)
	fx.source("ssh/config", "Host *\n")
	fx.source("ssh/keys/id", "key\n")
	p := fx.switchTo(home(map[string]HomeFile{".ssh": {Source: ptr(filepath.Join(fx.src, "ssh")), Recursive: true, Mode: ptr("0600")}}))
	for _, rel := range []string{".ssh/config", ".ssh/keys/id"} {
		f := record(t, p, "/home/alice/"+rel)
		if f == nil {
			t.Fatalf("no record of %s", rel)
		}
		if f.Method != "copy" || f.Mode != 0o600 {
			t.Errorf("%s: %s, want a 0600 copy", rel, describeWant(f))
		}
		if got := diskMode(t, fx, "/home/alice/"+rel); got != 0o600 {
			t.Errorf("%s on disk: %v, want -rw-------", rel, got)
		}
	}
}

// TestFolderModes: the folders gocfg creates in a home are 0700 when
// they hold a private copy or are known private (or inside one), else
// 0755; under /etc always 0755.
func TestFolderModes(t *testing.T) {
	fx := newFixture(t)
	secret := fx.sourceMode("token", "t\n", 0o600)
	cfg := home(map[string]HomeFile{
		".ssh/config":                    text("Host *\n"),
		".gnupg/private-keys-v1.d/k.key": text("k"),
		".password-store/a/b.gpg":        text("b"),
		".config/app/token":              {Source: &secret, Method: "copy"},
		".config/app/pub":                text("p"),
		".config/other/g":                {Text: ptr("g"), Mode: ptr("0640")},
		".config/public/p":               {Text: ptr("p"), Mode: ptr("0644")},
		".local/share/s":                 {Source: &secret},
		".local/bin/tool":                {Text: ptr("#!/bin/sh\n"), Mode: ptr("0755")},
		"notes/ssh/.ssh/x":               text("x"),
	})
	cfg.Etc = map[string]EtcFile{"app/secret.conf": {Text: ptr("s"), Mode: ptr("0600")}}
	want := map[string]fs.FileMode{
		"dir:~alice/.ssh":                     0o700,
		"dir:~alice/.gnupg":                   0o700,
		"dir:~alice/.gnupg/private-keys-v1.d": 0o700,
		"dir:~alice/.password-store":          0o700,
		"dir:~alice/.password-store/a":        0o700,
		"dir:~alice/.config":                  0o755,
		"dir:~alice/.config/app":              0o700, // a 0600 copy of a 0600 source
		"dir:~alice/.config/other":            0o700, // 0640: others may not read
		"dir:~alice/.config/public":           0o755,
		"dir:~alice/.local":                   0o755,
		"dir:~alice/.local/share":             0o755, // a link: its content is alice's alone anyway
		"dir:~alice/.local/bin":               0o755,
		"dir:~alice/notes":                    0o755,
		"dir:~alice/notes/ssh":                0o755,
		"dir:~alice/notes/ssh/.ssh":           0o755, // known private only at the top of the home
		"dir:/etc/app":                        0o755,
	}
	p := fx.switchTo(cfg)
	for id, m := range want {
		o := op[*MkdirOp](t, p, id)
		if o.Mode != m {
			t.Errorf("%s: created %04o, want %04o", id, o.Mode, m)
		}
		if got := diskMode(t, fx, o.Path); got != fs.ModeDir|m {
			t.Errorf("%s on disk: %v, want %v", id, got, fs.ModeDir|m)
		}
	}
	for _, c := range p.Changes {
		if _, ok := want[c.ID]; c.Kind == "dir" && !ok && c.ID != "dir:~alice" && c.ID != "dir:/etc" {
			t.Errorf("unexpected folder %s", c.ID)
		}
	}
}

// TestFolderModesRollback: a rollback that creates a folder again gives
// it the mode the switch gave it (the copies counted are the records').
func TestFolderModesRollback(t *testing.T) {
	fx := newFixture(t)
	fx.switchTo(home(map[string]HomeFile{".config/app/token": {Text: ptr("t"), Mode: ptr("0600")}, ".ssh/config": text("c")}))
	applied1 := fx.applied()
	fx.switchTo(home(map[string]HomeFile{".zshrc": text("z")}))
	for _, p := range []string{"/home/alice/.config/app", "/home/alice/.ssh"} {
		if fx.Exists(p) {
			t.Fatalf("%s is still there after generation 2", p)
		}
	}
	recs, err := DecodeRecords(applied1["files"])
	if err != nil {
		t.Fatal(err)
	}
	l := &machine.Machine{Sys: fx.Sys, Host: fx.Real, Store: fx.Store, Current: 2, To: 1, Offline: true, OS: "linux", Accounts: fx.DB}
	p := fx.Sw.Plan(&Provider{Machine: l, Records: recs})
	for id, m := range map[string]fs.FileMode{"dir:~alice/.config": 0o755, "dir:~alice/.config/app": 0o700, "dir:~alice/.ssh": 0o700} {
		if o := op[*MkdirOp](t, p, id); o.Mode != m {
			t.Errorf("%s: created %04o by the rollback, want %04o", id, o.Mode, m)
		}
	}
}
