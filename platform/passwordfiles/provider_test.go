package passwordfiles

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
)

// TestPlan: what a plan makes of users.<name>.hashed_password_file, on a
// tree (--root): the file read now and compared, or read when applied
// when the plan writes it (a secret: Facts.Written), whose owner and mode
// are checked now; a file or folder another account may change, a link
// that leads out of the tree, no /etc/shadow: refused; a missing or
// removed file: a warning.
func TestPlan(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the tree's files must be root's")
	}
	const hash = "$6$abc$XYZ"
	tests := []struct {
		name    string
		setup   func(t *testing.T, root string) // after the common tree
		path    string
		written map[string]platform.Written
		noShad  bool
		// want: the change's After, "" for none; wantErr and wantWarn:
		// in the error, the warnings.
		want, wantErr, wantWarn string
	}{
		{name: "differs: set", path: "/etc/pw/jt", want: "password (hashed_password_file)"},
		{name: "same: nothing", path: "/etc/pw/same"},
		{name: "missing: left, with a warning", path: "/etc/pw/none", wantWarn: "/etc/pw/none does not exist; the password of jt is left as it is"},
		{name: "a secret this switch writes", path: "/run/gocfg/secrets/jt",
			written: map[string]platform.Written{"/run/gocfg/secrets/jt": {After: "secrets:swap", Owner: "root", Mode: 0o400}},
			want:    "password (from /run/gocfg/secrets/jt, read when applied)"},
		{name: "a secret this switch writes, owned by jt", path: "/run/gocfg/secrets/jt",
			written: map[string]platform.Written{"/run/gocfg/secrets/jt": {After: "secrets:swap", Owner: "jt", Mode: 0o400}},
			wantErr: "the secret is owned by jt, not root"},
		{name: "a secret this switch writes, group-writable", path: "/run/gocfg/secrets/jt",
			written: map[string]platform.Written{"/run/gocfg/secrets/jt": {After: "secrets:swap", Owner: "root", Mode: 0o460}},
			wantErr: "the secret may be written by others (mode 0460)"},
		{name: "a secret this switch removes", path: "/run/gocfg/secrets/jt",
			written:  map[string]platform.Written{"/run/gocfg/secrets/jt": {After: "secrets:swap", Gone: true}},
			wantWarn: "this switch removes /run/gocfg/secrets/jt; the password of jt is left as it is"},
		{name: "owned by jt", path: "/etc/pw/jt", setup: func(t *testing.T, root string) { chown(t, root, "etc/pw/jt", 1000) },
			wantErr: "the file is owned by uid 1000, not root"},
		{name: "group-writable", path: "/etc/pw/jt", setup: func(t *testing.T, root string) { chmod(t, root, "etc/pw/jt", 0o620) },
			wantErr: "the file may be written by others (mode 0620)"},
		{name: "in a folder jt may write", path: "/etc/pw/jt", setup: func(t *testing.T, root string) { chown(t, root, "etc/pw", 1000) },
			wantErr: "the folder /etc/pw is owned by uid 1000, not root"},
		{name: "through a link in a folder others may write", path: "/tmp/pw", setup: func(t *testing.T, root string) {
			mkdir(t, root, "tmp", os.ModeSticky|0o777)
			link(t, root, "/etc/pw/jt", "tmp/pw")
		}, wantErr: "the folder /tmp may be written by others (mode 0777)"},
		{name: "an absolute link leads inside the tree", path: "/etc/link", setup: func(t *testing.T, root string) {
			link(t, root, "/etc/pw/jt", "etc/link")
		}, want: "password (hashed_password_file)"},
		{name: "link/.. is the link's target's parent, as the kernel has it", path: "/etc/link/../pw/jt", setup: func(t *testing.T, root string) {
			// /srv/pw/jt holds the account's hash: nothing to do; the
			// cleaned path, /etc/pw/jt, holds another.
			write(t, root, "srv/a/.keep", "", 0o600)
			write(t, root, "srv/pw/jt", hash+"\n", 0o400)
			link(t, root, "../srv/a", "etc/link")
		}},
		{name: "not a hash", path: "/etc/pw/bad", wantErr: "does not hold one crypt(3) password hash"},
		{name: "no /etc/shadow", path: "/etc/pw/jt", noShad: true, wantErr: "this machine has no /etc/shadow"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			write(t, root, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\njt:x:1000:1000::/home/jt:/bin/sh\n", 0o644)
			write(t, root, "etc/group", "root:x:0:\njt:x:1000:\n", 0o644)
			if !tc.noShad {
				write(t, root, "etc/shadow", "root:*:19000:0:99999:7:::\njt:"+hash+":19000:0:99999:7:::\n", 0o640)
			}
			write(t, root, "etc/pw/jt", "$6$new$ABC\n", 0o400)
			write(t, root, "etc/pw/same", hash+"\n", 0o400)
			write(t, root, "etc/pw/bad", "hunter2\n", 0o400)
			if tc.setup != nil {
				tc.setup(t, root)
			}
			sys := system.NewRooted(root, system.NewReal())
			db, err := accounts.Read(sys)
			if err != nil {
				t.Fatal(err)
			}
			l := &machine.Machine{Sys: sys, Offline: true, Root: root, Privileged: true, OS: "linux", Accounts: db}
			p := &Provider{Machine: l, Config: &Config{Files: map[string]string{"jt": tc.path}}}
			part, err := p.PlanWith(t.Context(), nil, platform.Facts{Accounts: db, Written: tc.written})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), "hunter2") {
					t.Errorf("the error quotes the file: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got string
			for _, ch := range part.Changes {
				got = ch.After
				if len(ch.Ops) != 1 {
					t.Errorf("%s: %d ops, want 1", ch.ID, len(ch.Ops))
				}
				if w, ok := tc.written[tc.path]; ok && !strings.Contains(strings.Join(ch.Deps, " "), w.After) {
					t.Errorf("deps %v, want %s", ch.Deps, w.After)
				}
			}
			if got != tc.want {
				t.Errorf("change %q, want %q", got, tc.want)
			}
			if w := strings.Join(part.Warnings, "\n"); !strings.Contains(w, tc.wantWarn) || tc.wantWarn == "" && w != "" {
				t.Errorf("warnings %q, want %q", w, tc.wantWarn)
			}
			if strings.Contains(got, "$6$") {
				t.Errorf("the change shows a hash: %q", got)
			}
		})
	}
}

// TestPlanTreeThroughLink: a --root tree given through a symlink is
// read as the tree (reviewer: its "/" was the link, mode 0777, and
// refused).
func TestPlanTreeThroughLink(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the tree's files must be root's")
	}
	dir := t.TempDir()
	root := filepath.Join(dir, "tree")
	write(t, root, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\njt:x:1000:1000::/home/jt:/bin/sh\n", 0o644)
	write(t, root, "etc/group", "root:x:0:\njt:x:1000:\n", 0o644)
	write(t, root, "etc/shadow", "root:*:19000:0:99999:7:::\njt:!:19000:0:99999:7:::\n", 0o640)
	write(t, root, "etc/pw/jt", "$6$new$ABC\n", 0o400)
	chmod(t, dir, "tree", 0o755)
	link(t, dir, "tree", "link")
	sys := system.NewRooted(filepath.Join(dir, "link"), system.NewReal())
	db, err := accounts.Read(sys)
	if err != nil {
		t.Fatal(err)
	}
	l := &machine.Machine{Sys: sys, Offline: true, Root: filepath.Join(dir, "link"), Privileged: true, OS: "linux", Accounts: db}
	part, err := (&Provider{Machine: l, Config: &Config{Files: map[string]string{"jt": "/etc/pw/jt"}}}).PlanWith(t.Context(), nil, platform.Facts{Accounts: db})
	if err != nil {
		t.Fatal(err)
	}
	if len(part.Changes) != 1 || part.Changes[0].After != "password (hashed_password_file)" {
		t.Errorf("changes %+v, want the password set", part.Changes)
	}
}

func write(t *testing.T, root, rel, data string, mode os.FileMode) {
	t.Helper()
	p := filepath.Join(root, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
}

func chown(t *testing.T, root, rel string, uid int) {
	t.Helper()
	if err := os.Lchown(filepath.Join(root, rel), uid, -1); err != nil {
		t.Fatal(err)
	}
}

func chmod(t *testing.T, root, rel string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(filepath.Join(root, rel), mode); err != nil {
		t.Fatal(err)
	}
}

func mkdir(t *testing.T, root, rel string, mode os.FileMode) {
	t.Helper()
	if err := os.Mkdir(filepath.Join(root, rel), mode); err != nil {
		t.Fatal(err)
	}
	chmod(t, root, rel, mode)
}

func link(t *testing.T, root, target, rel string) {
	if err := os.MkdirAll(filepath.Dir(filepath.Join(root, rel)), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Helper()
	if err := os.Symlink(target, filepath.Join(root, rel)); err != nil {
		t.Fatal(err)
	}
}
