package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// newUserConfig is a configuration that creates user with a home (useradd
// copies /etc/skel into it) and manages two of their files in the same
// switch: .bashrc, which /etc/skel has too, and a file in a folder it has
// not. extra is appended (a unit that cannot start, to fail the switch).
func newUserConfig(user, extra string) string {
	return fmt.Sprintf(`users %[1]q { shell = "/bin/bash" }
home %[1]q {
  files ".bashrc" { text = "# %[1]s's .bashrc, from gocfg\n" }
  files ".config/gocfg-e2e/conf" { text = "%[1]s\n" }
}
`, user) + extra
}

// brokenUnit fails every switch that starts it.
const brokenUnit = `systemd {
  services "broken" {
    type       = "oneshot"
    exec_start = "/bin/false"
    wanted_by  = ["multi-user.target"]
  }
}
`

// TestNewUserDotfiles: one switch creates a user and their dotfiles
// (issue 11 §3). useradd copies /etc/skel after the plan was made: the
// copy of a file gocfg manages is replaced by gocfg's (it is /etc/skel's,
// which stays where it is), the skeleton's other files are kept, and a
// switch that fails or is killed after useradd leaves no trace of the
// user: no account, group, home, subordinate IDs, nor a store area
// readable by the uid the next account will get.
func TestNewUserDotfiles(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-newuser")
	// base is the configuration the later steps keep: bob, and dave
	// without a .bashrc.
	base := newUserConfig("bob", "") + `users "dave" { shell = "/bin/bash" }
home "dave" {
  files ".config/gocfg-e2e/conf" { text = "dave\n" }
}
`
	skel := map[string]string{}
	for _, f := range []string{".bashrc", ".profile", ".bash_logout"} {
		skel[f] = m.read(t, "/etc/skel/"+f)
	}

	t.Run("one switch", func(t *testing.T) {
		r := m.trySwitch(t, newUserConfig("bob", ""))
		if r.code != 0 {
			t.Fatalf("gocfg switch: %v", r)
		}
		wantContains(t, "the switch", r.out, "+ user:bob", "+ file:~bob/.bashrc", "/etc/skel/.bashrc", "Generation 1 is current.")
		wantContains(t, "~bob/.bashrc", m.out(t, "readlink", "/home/bob/.bashrc"), "/var/lib/gocfg/current/files/home/bob/.bashrc")
		wantEqual(t, "~bob/.bashrc (as bob)", m.out(t, "runuser", "-u", "bob", "--", "cat", "/home/bob/.bashrc"), "# bob's .bashrc, from gocfg")
		wantEqual(t, "~bob/.config/gocfg-e2e/conf (as bob)", m.out(t, "runuser", "-u", "bob", "--", "cat", "/home/bob/.config/gocfg-e2e/conf"), "bob")
		for _, f := range []string{".profile", ".bash_logout"} {
			wantEqual(t, "~bob/"+f, m.read(t, "/home/bob/"+f), skel[f])
			wantEqual(t, "~bob/"+f+"'s owner", m.out(t, "stat", "-c", "%U:%G %a", "/home/bob/"+f), "bob:bob 644")
		}
		// Nothing set aside is left in the home.
		wantEqual(t, "ls -A ~bob", m.out(t, "ls", "-A", "/home/bob"), ".bash_logout\n.bashrc\n.config\n.profile")
		wantEqual(t, "~bob", m.out(t, "stat", "-c", "%U:%G %a", "/home/bob"), "bob:bob 700")
		wantEqual(t, "~bob/.config", m.out(t, "stat", "-c", "%U:%G", "/home/bob/.config"), "bob:bob")
		// useradd gave him subordinate IDs (wantNoTrace looks for them).
		wantContains(t, "/etc/subuid", m.read(t, "/etc/subuid"), "bob:")
		wantContains(t, "gocfg status", m.mustGocfg(t, "status"), "No drift")
		wantContains(t, "the next switch", m.mustGocfg(t, "switch", "-c", cfgDir), noChanges)
	})

	// With --backup-ext the skeleton's copy is kept as a backup, like any
	// file in the way, and put back when gocfg stops managing the path.
	t.Run("backup-ext keeps the skeleton's copy", func(t *testing.T) {
		m.config(t, newUserConfig("bob", "")+newUserConfig("dave", ""))
		r := m.gocfg(t, nil, "switch", "-c", cfgDir, "--backup-ext", ".orig")
		if r.code != 0 {
			t.Fatalf("gocfg switch --backup-ext .orig: %v", r)
		}
		wantContains(t, "the switch", r.out, "+ user:dave", "backup to /home/dave/.bashrc.orig")
		wantEqual(t, "~dave/.bashrc.orig", m.read(t, "/home/dave/.bashrc.orig"), skel[".bashrc"])
		wantEqual(t, "~dave/.bashrc (as dave)", m.out(t, "runuser", "-u", "dave", "--", "cat", "/home/dave/.bashrc"), "# dave's .bashrc, from gocfg")
		m.switchTo(t, base)
		wantEqual(t, "~dave/.bashrc once unmanaged", m.read(t, "/home/dave/.bashrc"), skel[".bashrc"])
		if m.exists(t, "/home/dave/.bashrc.orig") {
			t.Error("~dave/.bashrc.orig is left after it was put back")
		}
	})

	// A switch that fails after useradd ran (a unit that cannot start) is
	// undone: nothing of carol is left.
	t.Run("failed switch leaves nothing", func(t *testing.T) {
		all, cur := m.generations(t)
		r := m.trySwitch(t, base+newUserConfig("carol", brokenUnit))
		if r.code != 1 {
			t.Fatalf("switch with a unit that cannot start: %v", r)
		}
		wantContains(t, "the error", r.out, "gocfg: error:", "broken.service", fmt.Sprintf("generation %d stays current", cur))
		m.wantGenerations(t, all, cur)
		m.wantNoTrace(t, "carol")
	})

	// The same when gocfg is killed once everything ran: the next gocfg
	// command undoes it.
	t.Run("killed switch undone leaves nothing", func(t *testing.T) {
		all, cur := m.generations(t)
		m.config(t, base+newUserConfig("erin", ""))
		m.killedSwitch(t, "applied", cfgDir)
		// Everything ran (the link leads through current, which has not
		// flipped yet).
		wantContains(t, "~erin/.bashrc before the undo", m.out(t, "readlink", "/home/erin/.bashrc"), "/var/lib/gocfg/current/files/home/erin/.bashrc")
		wantEqual(t, "~erin/.profile before the undo", m.read(t, "/home/erin/.profile"), skel[".profile"])
		m.config(t, base)
		out := m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the next switch", out, "was undone", noChanges)
		m.wantGenerations(t, all, cur)
		m.wantNoTrace(t, "erin")
	})

	// Tester BI: the undo of a switch deleted the new home with what was
	// written in it since useradd made it (userdel --remove). Kept, and
	// said; the account made again later gets it back.
	t.Run("failed switch keeps what was written in the new home", func(t *testing.T) {
		writer := strings.Replace(brokenUnit, `"/bin/false"`, `"/bin/sh -c 'echo notes > /home/fay/notes.txt; exit 1'"`, 1)
		r := m.trySwitch(t, base+newUserConfig("fay", writer))
		if r.code != 1 {
			t.Fatalf("switch with a unit that writes in fay's home and fails: %v", r)
		}
		wantContains(t, "the error", r.out, "/home/fay: the home folder the switch made for fay holds /home/fay/notes.txt, which useradd did not put there: kept, owned by uid ")
		if r := m.run(t, "id", "fay"); r.code == 0 {
			t.Errorf("fay is left: %s", r.out)
		}
		wantEqual(t, "~fay/notes.txt", m.read(t, "/home/fay/notes.txt"), "notes\n")
		uid := m.out(t, "stat", "-c", "%u", "/home/fay")
		// Made again, she gets the home and its uid back; the copies
		// useradd had made there are files in the way now, like any.
		m.config(t, base+newUserConfig("fay", ""))
		if r := m.gocfg(t, nil, "switch", "-c", cfgDir, "--backup-ext", ".orig"); r.code != 0 {
			t.Fatalf("gocfg switch --backup-ext .orig: %v", r)
		}
		wantEqual(t, "fay's uid", m.out(t, "id", "-u", "fay"), uid)
		wantEqual(t, "~fay/notes.txt (as fay)", m.out(t, "runuser", "-u", "fay", "--", "cat", "/home/fay/notes.txt"), "notes")
	})

	// After the undone switches the same users are made for good, with
	// the uids the undone ones had: their files are theirs alone.
	t.Run("made again", func(t *testing.T) {
		m.switchTo(t, base+newUserConfig("carol", "")+newUserConfig("erin", ""))
		for _, u := range []string{"carol", "erin"} {
			wantEqual(t, "~"+u+"/.bashrc (as "+u+")", m.out(t, "runuser", "-u", u, "--", "cat", "/home/"+u+"/.bashrc"), "# "+u+"'s .bashrc, from gocfg")
			wantEqual(t, "~"+u+"/.profile", m.read(t, "/home/"+u+"/.profile"), skel[".profile"])
		}
		if r := m.run(t, "runuser", "-u", "carol", "--", "cat", "/home/erin/.bashrc"); r.code == 0 {
			t.Errorf("carol can read erin's .bashrc: %v", r)
		}
		wantContains(t, "gocfg status", m.mustGocfg(t, "status"), "No drift")
	})
}

// wantNoTrace checks that nothing of user is left: no account or group
// (nor their shadow entries and subordinate IDs), no home or mail spool,
// no store area, and nothing in gocfg's state folder owned by the uid
// the user had (the next account made gets it).
func (m *machine) wantNoTrace(t *testing.T, user string) {
	t.Helper()
	if r := m.run(t, "id", user); r.code == 0 {
		t.Errorf("user %s is left: %s", user, r.out)
	}
	for _, f := range []string{"/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow", "/etc/subuid", "/etc/subgid"} {
		if r := m.run(t, "grep", "^"+user+":", f); r.code == 0 {
			t.Errorf("%s still names %s: %s", f, user, r.out)
		}
	}
	for _, p := range []string{"/home/" + user, "/var/mail/" + user, "/var/lib/gocfg/store/home-" + user} {
		if m.exists(t, p) {
			t.Errorf("%s is left: %s", p, m.out(t, "ls", "-la", p))
		}
	}
	// Every uid and gid the machine does not know.
	if out := m.out(t, "find", "/var/lib/gocfg", "/home", "-nouser", "-o", "-nogroup"); out != "" {
		t.Errorf("files of a deleted account are left:\n%s", out)
	}
	if out := m.out(t, "sh", "-c", "ls -A /var/lib/gocfg/store"); strings.Contains(out, user) {
		t.Errorf("the store still has an area of %s:\n%s", user, out)
	}
}
