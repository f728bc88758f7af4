package e2e

import (
	"slices"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/gocfg/gocfg/secrets"
)

// TestPrivilegeRecoveryRuntimeFolder: tester V. A user's secret without
// a path is decrypted into her runtime folder, /run/user/<uid>/gocfg/
// secrets. After a switch killed between its steps, mallory put a link
// to a root-only folder in place of that folder, and root's next command
// recovered the switch without confining it: the undo of the secret's
// removal wrote a file of hers into /etc/gocfg-test-v (variant A), and
// the undo of a new secret's write removed root's file of that name
// there (variant B, her key moved away so that the undo could not tell
// the file from the one it wrote). The recovery now confines every
// account's runtime folder, and the ops confine their folders
// themselves: the victim folder is left as it was, and the undo refuses
// the link.
func TestPrivilegeRecoveryRuntimeFolder(t *testing.T) {
	t.Parallel()
	m := bootAttacked(t, "e2e-priv-recovery")
	uid := m.out(t, "id", "-u", mallory)
	run := "/run/user/" + uid
	m.MustExec(t, "sh", "-euc", `mkdir -p "$1" && chown "$2:$2" "$1" && chmod 0700 "$1"`, "sh", run, mallory)
	key, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	m.WriteFile(t, malloryHome+"/.config/gocfg/age.key", []byte(key.String()+"\n"), 0o600)
	m.MustExec(t, "chown", "-R", mallory+":"+mallory, malloryHome+"/.config")
	for _, name := range []string{"rt", "rt2"} {
		ct, err := secrets.Encrypt([]byte("mallory-"+name+"-plaintext\n"), []age.Recipient{key.Recipient()}, true)
		if err != nil {
			t.Fatal(err)
		}
		m.WriteFile(t, cfgDir+"/secrets/"+name+".age", ct, 0o644)
	}
	config := func(names ...string) string {
		var b strings.Builder
		b.WriteString("home \"" + mallory + "\" {\n  age {\n")
		for _, n := range names {
			b.WriteString("    secrets \"" + n + "\" { file = \"./secrets/" + n + ".age\" }\n")
		}
		b.WriteString("  }\n  files \".gocfg-mark\" { text = \"" + strings.Join(names, ",") + "\" }\n}\n")
		return b.String()
	}
	const victim = "/etc/gocfg-test-v"
	m.MustExec(t, "sh", "-euc", `mkdir -m 0755 "$1"`, "sh", victim)
	secretsDir := run + "/gocfg/secrets"
	swap := func(t *testing.T) {
		t.Helper()
		m.attack(t, "puts a link to "+victim+" in place of "+secretsDir, "sh", "-euc",
			`rm -rf "$1.old"; mv "$1" "$1.old"; ln -s "$2" "$1"`, "sh", secretsDir, victim)
	}
	unswap := func(t *testing.T) {
		t.Helper()
		m.attack(t, "puts her folder back", "sh", "-euc", `rm -f "$1"; mv "$1.old" "$1"`, "sh", secretsDir)
	}
	listing := func(t *testing.T) string {
		t.Helper()
		return m.out(t, "sh", "-c", `cd "$1" && for f in .* *; do [ -e "$f" ] || [ -L "$f" ] || continue; case $f in .|..) continue;; esac; stat -c '%n %U %a %s' "$f"; done`, "sh", victim)
	}

	m.switchTo(t, config("rt"))
	wantEqual(t, "her secret", m.read(t, secretsDir+"/rt"), "mallory-rt-plaintext\n")

	t.Run("A: the undo of a removal writes nothing through her link", func(t *testing.T) {
		m.config(t, config())
		m.killedSwitch(t, "applied", cfgDir)
		swap(t)
		// Root goes back to the configuration with the secret: the
		// plan after the recovery finds the undo's file in place, and
		// leaves it there.
		m.config(t, config("rt"))
		r := m.gocfg(t, nil, "switch", "-c", cfgDir)
		t.Logf("the recovering switch: %v", r)
		wantEqual(t, "the victim folder", listing(t), "")
		unswap(t)
		m.switchTo(t, config("rt"))
		wantEqual(t, "her secret", m.read(t, secretsDir+"/rt"), "mallory-rt-plaintext\n")
	})

	t.Run("B: the undo of a write removes nothing through her link", func(t *testing.T) {
		m.WriteFile(t, victim+"/rt2", []byte("root's own\n"), 0o600)
		m.config(t, config("rt", "rt2"))
		m.killedSwitch(t, "applied", cfgDir)
		swap(t)
		m.attack(t, "moves her key away", "mv", malloryHome+"/.config/gocfg/age.key", malloryHome+"/.config/gocfg/age.key.away")
		r := m.gocfg(t, nil, "switch", "-c", cfgDir)
		t.Logf("the recovering switch: %v", r)
		wantEqual(t, "the victim folder", listing(t), "rt2 root 600 11")
		wantEqual(t, "root's file", m.read(t, victim+"/rt2"), "root's own\n")
		m.attack(t, "puts her key back", "mv", malloryHome+"/.config/gocfg/age.key.away", malloryHome+"/.config/gocfg/age.key")
		unswap(t)
	})

	// Tester V: a descriptor root's shell left open when it ran gocfg
	// (exec 7<file, without close-on-exec) passed to mallory's hook,
	// which read a root-only file through it.
	t.Run("C: her hook gets no descriptor root's gocfg inherited", func(t *testing.T) {
		m.WriteFile(t, victim+"/private", []byte("ROOT-ONLY-CONTENT\n"), 0o600)
		m.config(t, `home "`+mallory+`" {
  files ".hooked" {
    text      = "v1"
    on_change = "ls /proc/self/fd > $HOME/fds; cat <&7 > $HOME/leak 2>/dev/null || true"
  }
}
`)
		r := m.run(t, "sh", "-c", `exec 7<"$1"; exec gocfg switch -c "$2"`, "sh", victim+"/private", cfgDir)
		if r.code != 0 {
			t.Fatalf("switch: %v", r)
		}
		fds := strings.Fields(m.read(t, malloryHome+"/fds"))
		t.Logf("the descriptors her hook had: %s", strings.Join(fds, " "))
		if slices.Contains(fds, "7") {
			t.Errorf("her hook had descriptor 7: %v", fds)
		}
		if leak := m.out(t, "sh", "-c", `cat "$1" 2>/dev/null || true`, "sh", malloryHome+"/leak"); leak != "" {
			t.Errorf("her hook read root's descriptor 7: %q", leak)
		}
	})

	// Tester X: a system secret whose path is in a folder of mallory's
	// (/srv/app, as a service's account owns its folder).
	t.Run("D: a system secret's link in her folder", func(t *testing.T) {
		m.MustExec(t, "install", "-d", "-o", mallory, "-g", mallory, "-m", "0755", "/srv/app")
		rootKey, err := age.GenerateX25519Identity()
		if err != nil {
			t.Fatal(err)
		}
		m.WriteFile(t, "/root/age.key", []byte(rootKey.String()+"\n"), 0o600)
		for _, name := range []string{"keep", "tok"} {
			ct, err := secrets.Encrypt([]byte("system-"+name+"-plaintext\n"), []age.Recipient{rootKey.Recipient()}, true)
			if err != nil {
				t.Fatal(err)
			}
			m.WriteFile(t, cfgDir+"/secrets/"+name+".age", ct, 0o644)
		}
		sys := func(tok bool) string {
			c := "age {\n  identity_paths = [\"/root/age.key\"]\n  gocfg_binary   = \"/usr/local/bin/gocfg\"\n  secrets \"keep\" { file = \"./secrets/keep.age\" }\n"
			if tok {
				c += "  secrets \"tok\" {\n    file  = \"./secrets/tok.age\"\n    path  = \"/srv/app/conf/tok\"\n    owner = \"" + mallory + "\"\n  }\n"
			}
			return c + "}\n"
		}
		const victim2 = "/etc/gocfg-test-vd"
		m.MustExec(t, "mkdir", "-m", "0755", victim2)
		empty := func(t *testing.T) {
			t.Helper()
			if got := m.out(t, "ls", "-A", victim2); got != "" {
				t.Errorf("%s holds %q", victim2, got)
			}
		}
		noJournal := func(t *testing.T) {
			t.Helper()
			if m.exists(t, "/var/lib/gocfg/journal.json") {
				t.Error("the journal is kept")
			}
		}
		m.switchTo(t, sys(true))
		wantEqual(t, "the link", m.out(t, "readlink", "/srv/app/conf/tok"), "/run/gocfg/secrets/tok")

		// The recovery of the removal's undo makes no link through hers.
		m.config(t, sys(false))
		m.killedSwitch(t, "applied", cfgDir)
		m.attack(t, "puts a link to "+victim2+" in place of /srv/app/conf", "sh", "-euc", `mv /srv/app/conf /srv/app/conf.old; ln -s "$1" /srv/app/conf`, "sh", victim2)
		m.config(t, sys(true))
		r := m.gocfg(t, nil, "switch", "-c", cfgDir)
		t.Logf("the recovering switch: %v", r)
		empty(t)
		noJournal(t)
		m.attack(t, "puts her folder back", "sh", "-euc", `rm /srv/app/conf; mv /srv/app/conf.old /srv/app/conf`)
		m.switchTo(t, sys(true))

		// The boot unit writes the other secrets when her folder holds a
		// file where the link goes.
		m.attack(t, "puts a file where the link goes", "sh", "-euc", `mv /srv/app/conf /srv/app/conf.old; mkdir /srv/app/conf; echo mine > /srv/app/conf/tok`)
		m.MustExec(t, "rm", "-rf", "/run/gocfg")
		u := m.run(t, "systemctl", "restart", "gocfg-secrets.service")
		t.Logf("systemctl restart gocfg-secrets.service: %v", u)
		wantEqual(t, "keep after the boot unit", m.read(t, "/run/gocfg/secrets/keep"), "system-keep-plaintext\n")
		wantEqual(t, "her file", m.read(t, "/srv/app/conf/tok"), "mine\n")
		m.attack(t, "puts her folder back", "sh", "-euc", `rm -r /srv/app/conf; mv /srv/app/conf.old /srv/app/conf`)
		m.switchTo(t, sys(true))

		// A dangling link in place of her folder keeps no journal.
		m.config(t, sys(false))
		m.killedSwitch(t, "applied", cfgDir)
		m.attack(t, "puts a dangling link in place of /srv/app/conf", "sh", "-euc", `mv /srv/app/conf /srv/app/conf.old; ln -s /nonexistent-e2e/dir /srv/app/conf`)
		r = m.gocfg(t, nil, "switch", "-c", cfgDir)
		if r.code != 0 {
			t.Errorf("the recovering switch: %v; want it to go on", r)
		}
		noJournal(t)
		wantContains(t, "the switch after", m.mustGocfg(t, "switch", "-c", cfgDir), noChanges)
		empty(t)
	})
}
