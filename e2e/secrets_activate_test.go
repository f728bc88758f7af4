package e2e

import (
	"fmt"
	"testing"

	"filippo.io/age"

	"github.com/gocfg/gocfg/secrets"
)

// TestSecretsActivateRecovers (tester T): gocfg-secrets.service runs
// `gocfg secrets activate` before sysinit.target, and taking the lock
// recovers an interrupted switch, whose undo restarts the units the
// switch had changed. Each such job waited for sysinit.target, which
// waited for the boot unit, which waited for the job: the next boot
// hung for good. Here demo.service is ordered after the boot unit (as
// every ordinary service is, through sysinit.target, at boot), and the
// boot unit runs with a switch killed after its ops: it must finish,
// the switch undone and generation 1's secret written.
func TestSecretsActivateRecovers(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-secrets-activate")
	key, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	m.WriteFile(t, "/root/age.key", []byte(key.String()+"\n"), 0o600)
	config := func(plaintext, sleep string) {
		t.Helper()
		ct, err := secrets.Encrypt([]byte(plaintext), []age.Recipient{key.Recipient()}, false)
		if err != nil {
			t.Fatal(err)
		}
		m.WriteFile(t, cfgDir+"/secrets/s1.age", ct, 0o644)
		m.config(t, fmt.Sprintf(`age {
  identity_paths = ["/root/age.key"]
  secrets "s1" {
    file = "./secrets/s1.age"
    path = "/etc/app/s1"
  }
}
systemd {
  services "demo" {
    exec_start = "/bin/sleep %s"
    wanted_by  = ["multi-user.target"]
  }
}
`, sleep))
	}
	config("e2e-activate-one", "1001")
	m.mustGocfg(t, "switch", "-c", cfgDir)
	config("e2e-activate-two", "2002")
	m.killedSwitch(t, "applied", cfgDir)
	if !m.exists(t, "/var/lib/gocfg/journal.json") {
		t.Fatal("the killed switch left no journal")
	}

	m.WriteFile(t, "/etc/systemd/system/demo.service.d/after-secrets.conf", []byte("[Unit]\nAfter=gocfg-secrets.service\n"), 0o644)
	m.MustExec(t, "systemctl", "daemon-reload")
	m.MustExec(t, "rm", "-rf", "/run/gocfg")
	r := m.run(t, "timeout", "60", "systemctl", "restart", "gocfg-secrets.service")
	if r.code != 0 {
		t.Fatalf("the boot unit did not finish (exit %d; 124: it hung 60 s): %s\n%s", r.code, r.out,
			m.out(t, "sh", "-c", "systemctl list-jobs --no-pager; journalctl -u gocfg-secrets.service --no-pager | tail -n 20"))
	}
	if m.exists(t, "/var/lib/gocfg/journal.json") {
		t.Error("the interrupted switch's journal is still there")
	}
	wantEqual(t, "s1", m.read(t, "/etc/app/s1"), "e2e-activate-one")
	wantContains(t, "the boot unit's journal", m.out(t, "journalctl", "-u", "gocfg-secrets.service", "--no-pager"), "was undone")
	for deadline := 0; m.show(t, "demo.service", "ActiveState") != "active"; deadline++ {
		if deadline > 100 {
			t.Fatalf("demo.service is %s after the boot unit", m.show(t, "demo.service", "ActiveState"))
		}
		m.MustExec(t, "sleep", "0.1")
	}
	wantContains(t, "demo's command", m.out(t, "systemctl", "show", "-p", "ExecStart", "demo.service"), "sleep 1001")

	// A secret that does not decrypt at boot (its key is gone) is left
	// out, and the others are written, as agenix does; the unit fails,
	// with a warning naming it. Before, no secret was written.
	key2, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	m.WriteFile(t, "/root/age2.key", []byte(key2.String()+"\n"), 0o600)
	ct, err := secrets.Encrypt([]byte("e2e-activate-gone"), []age.Recipient{key2.Recipient()}, false)
	if err != nil {
		t.Fatal(err)
	}
	m.WriteFile(t, cfgDir+"/secrets/s2.age", ct, 0o644)
	m.config(t, `age {
  identity_paths = ["/root/age.key", "/root/age2.key"]
  secrets "s1" {
    file = "./secrets/s1.age"
    path = "/etc/app/s1"
  }
  secrets "s2" {
    file = "./secrets/s2.age"
    path = "/etc/app/s2"
  }
}
`)
	m.mustGocfg(t, "switch", "-c", cfgDir)
	wantEqual(t, "s2", m.read(t, "/etc/app/s2"), "e2e-activate-gone")
	m.MustExec(t, "rm", "-rf", "/run/gocfg", "/root/age2.key")
	if r := m.run(t, "timeout", "60", "systemctl", "restart", "gocfg-secrets.service"); r.code == 0 {
		t.Errorf("the boot unit succeeded with a secret it could not write: %s", r.out)
	}
	wantEqual(t, "s1 after the boot unit", m.read(t, "/etc/app/s1"), "e2e-activate-two")
	if m.exists(t, "/run/gocfg/secrets/s2") {
		t.Error("s2 was written without its key")
	}
	wantContains(t, "the boot unit's journal", m.out(t, "journalctl", "-u", "gocfg-secrets.service", "--no-pager"),
		"warning: secret s2: ", "not written; the other secrets are")

	// Tester AU: a user's own file where her secret goes, or her key
	// broken, kept the boot unit from writing any secret, the system's
	// too. Her secrets are left out, the others written, and the unit
	// fails, naming her.
	m.MustExec(t, "useradd", "-m", "mallory")
	mkey, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	m.WriteFile(t, "/home/mallory/.config/gocfg/age.key", []byte(mkey.String()+"\n"), 0o600)
	m.MustExec(t, "chown", "-R", "mallory:mallory", "/home/mallory/.config")
	mct, err := secrets.Encrypt([]byte("e2e-mallory-netrc"), []age.Recipient{mkey.Recipient()}, false)
	if err != nil {
		t.Fatal(err)
	}
	m.WriteFile(t, cfgDir+"/secrets/netrc.age", mct, 0o644)
	m.config(t, `age {
  identity_paths = ["/root/age.key"]
  secrets "s1" {
    file = "./secrets/s1.age"
    path = "/etc/app/s1"
  }
}
home "mallory" {
  age {
    secrets "netrc" {
      file = "./secrets/netrc.age"
      path = ".netrc"
    }
  }
}
`)
	m.mustGocfg(t, "switch", "-c", cfgDir)
	wantEqual(t, "her .netrc", m.read(t, "/home/mallory/.netrc"), "e2e-mallory-netrc")
	for _, tc := range []struct{ name, attack, warning string }{
		{"her file in the way", "rm ~/.netrc && echo mine > ~/.netrc", "secret netrc of mallory: changed since gocfg wrote it; left out"},
		{"her key broken", "rm ~/.netrc && echo broken > ~/.config/gocfg/age.key", "the secrets of ~mallory were left out (a step on them failed: above)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m.MustExecAs(t, "mallory", "sh", "-c", tc.attack)
			m.MustExec(t, "rm", "-rf", "/run/gocfg")
			if r := m.run(t, "timeout", "60", "systemctl", "restart", "gocfg-secrets.service"); r.code == 0 {
				t.Errorf("the boot unit succeeded with her secrets left out: %s", r.out)
			}
			wantEqual(t, "s1 after the boot unit", m.read(t, "/etc/app/s1"), "e2e-activate-two")
			wantContains(t, "the boot unit's journal", m.out(t, "journalctl", "-u", "gocfg-secrets.service", "--no-pager"), tc.warning)
		})
	}
	// Tester AV: her account deleted since, the boot unit wrote none of
	// the system's secrets.
	t.Run("her account deleted", func(t *testing.T) {
		m.MustExec(t, "userdel", "-r", "mallory")
		m.MustExec(t, "rm", "-rf", "/run/gocfg")
		if r := m.run(t, "timeout", "60", "systemctl", "restart", "gocfg-secrets.service"); r.code == 0 {
			t.Errorf("the boot unit succeeded with her secrets left out: %s", r.out)
		}
		wantEqual(t, "s1 after the boot unit", m.read(t, "/etc/app/s1"), "e2e-activate-two")
		wantContains(t, "the boot unit's journal", m.out(t, "journalctl", "-u", "gocfg-secrets.service", "--no-pager"), "user mallory does not exist on this machine; left out")
	})
}
