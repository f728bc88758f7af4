package e2e

import (
	"fmt"
	"testing"
)

// TestPrivilegeEtcFolderOfAccount: an /etc folder owned by an ordinary
// account (as Debian's /etc/postgresql/15/main belongs to postgres)
// holds files gocfg manages, and mallory owns it. (1) Before a switch
// she swaps its sub folder for a link to the victim folder: root must
// neither write a file into it nor replace its keep.conf (force = true
// on the managed keep.conf). (2) Held after the plan of a mode change
// (0600 → 0644) of a copy, she swaps the copy for a link to the victim
// file: root must not chmod it. Before the folder was confined
// (platform/files/etc_confine.go) both won: the files went into the
// victim folder, and the victim file became 0644 and hers to read. What
// outside checks is not compared here: the switch legitimately changes
// her /etc folder.
func TestPrivilegeEtcFolderOfAccount(t *testing.T) {
	t.Parallel()
	m := bootAttacked(t, "e2e-priv-etcdir")
	v := newVictims(t, m, "etcdir")
	const dir = "/etc/gocfg-test-etcdir-app"
	m.MustExec(t, "install", "-d", "-o", mallory, "-g", mallory, "-m", "0755", dir, dir+"/sub")
	cfg := func(mode, text string) string {
		return fmt.Sprintf(`environment {
  etc = {
    "gocfg-test-etcdir-app/app.conf"      = { text = "app\n", method = "copy", mode = %q }
    "gocfg-test-etcdir-app/sub/new.conf"  = { text = %q }
    "gocfg-test-etcdir-app/sub/keep.conf" = {
      text  = "managed\n"
      force = true
    }
  }
}
`, mode, text)
	}
	m.switchTo(t, cfg("0600", "new 1\n"))
	wantEqual(t, dir+"/app.conf", m.out(t, "stat", "-c", "%F %a %U", dir+"/app.conf"), "regular file 600 root")

	m.attack(t, "links "+dir+"/sub to "+v.Dir, "sh", "-c", `mv "$1" "$1.away" && ln -s "$2" "$1"`, "sh", dir+"/sub", v.Dir)
	r := m.trySwitch(t, cfg("0600", "new 2\n"))
	t.Logf("root's switch: %s", r.brief())
	v.check(t, m)
	v.wantNothingInHome(t, m)

	m.attack(t, "puts "+dir+"/sub back", "sh", "-c", `rm "$1" && mv "$1.away" "$1"`, "sh", dir+"/sub")
	m.config(t, cfg("0644", "new 1\n"))
	h := m.startHeld(t, "journal-written", "switch", "-c", cfgDir)
	h.waitHeld(t)
	m.attack(t, "replaces "+dir+"/app.conf with a link to "+v.File, "sh", "-c", `rm -f "$1" && ln -s "$2" "$1"`, "sh", dir+"/app.conf", v.File)
	r = h.release(t)
	t.Logf("root's switch: %s", r.brief())
	v.check(t, m)
	v.wantNothingInHome(t, m)
}

// TestPrivilegeEtcLinkToFolderOfAccount: the /etc folder of the files
// gocfg manages is reached through a link of root's (/etc/app ->
// /etc/app.d, as an admin might make one), and the folder it leads to is
// mallory's. She swaps its sub folder for a link to the victim folder:
// root must not write into it. The /etc confinement used to stop at the
// link and leave the folder behind it open.
func TestPrivilegeEtcLinkToFolderOfAccount(t *testing.T) {
	t.Parallel()
	m := bootAttacked(t, "e2e-priv-etclink")
	v := newVictims(t, m, "etclink")
	const real = "/etc/gocfg-test-etclink-app.d"
	const dir = "/etc/gocfg-test-etclink-app"
	m.MustExec(t, "install", "-d", "-o", mallory, "-g", mallory, "-m", "0755", real, real+"/sub")
	m.MustExec(t, "ln", "-s", "gocfg-test-etclink-app.d", dir)
	cfg := func(text string) string {
		return fmt.Sprintf(`environment {
  etc = {
    "gocfg-test-etclink-app/sub/new.conf" = { text = %q }
  }
}
`, text)
	}
	m.switchTo(t, cfg("new 1\n"))
	wantEqual(t, dir+"/sub/new.conf", m.read(t, real+"/sub/new.conf"), "new 1\n")

	m.attack(t, "links "+real+"/sub to "+v.Dir, "sh", "-c", `mv "$1" "$1.away" && ln -s "$2" "$1"`, "sh", real+"/sub", v.Dir)
	r := m.trySwitch(t, cfg("new 2\n"))
	t.Logf("root's switch: %s", r.brief())
	v.check(t, m)
	v.wantNothingInHome(t, m)
	if m.exists(t, v.Dir+"/new.conf") {
		t.Errorf("root wrote new.conf into the victim folder %s", v.Dir)
	}
}
