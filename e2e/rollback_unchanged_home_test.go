package e2e

import (
	"testing"

	"filippo.io/age"
	"github.com/gocfg/gocfg/secrets"
)

// TestRollbackUnchangedHome (tester AG): a rollback planned every user's
// units and secrets from the records, asking her manager and looking at
// her files even when both generations record them alike, and held
// nothing: her manager stopped (she logged out, without linger), her
// units folder a link out of her home, or her edit of a secret's file,
// refused the whole machine's rollback, the deploy agent's too. Units
// and secrets that both generations record alike are now left as they
// are, and her manager is not asked; the rest of the machine rolls back.
func TestRollbackUnchangedHome(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-rb-unchanged")
	m.MustExec(t, "useradd", "-m", "alice")
	key, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	m.WriteFile(t, "/home/alice/.config/gocfg/age.key", []byte(key.String()+"\n"), 0o600)
	m.MustExec(t, "chown", "-R", "alice:alice", "/home/alice/.config")
	ct, err := secrets.Encrypt([]byte("e2e-netrc-plaintext"), []age.Recipient{key.Recipient()}, true)
	if err != nil {
		t.Fatal(err)
	}
	m.WriteFile(t, cfgDir+"/secrets/netrc.age", ct, 0o644)
	config := func(motd string) string {
		return `environment {
  etc "gocfg-e2e-motd" {
    text = "` + motd + `\n"
  }
}
home "alice" {
  systemd {
    services "tick" {
      exec_start = "/bin/sleep infinity"
      wanted_by  = ["default.target"]
    }
  }
  age {
    secrets "netrc" {
      file = "./secrets/netrc.age"
      path = ".netrc"
    }
  }
}
`
	}
	// She is logged in when root switches (her manager runs, without
	// linger), twice.
	manager := "user@" + m.out(t, "id", "-u", "alice") + ".service"
	m.MustExec(t, "systemctl", "start", manager)
	m.waitUserManager(t, "alice")
	m.switchTo(t, config("one"))
	m.switchTo(t, config("two"))
	wantEqual(t, "tick", m.out(t, "systemctl", "--user", "-M", "alice@", "is-active", "tick"), "active")

	// rollback runs root's rollback, which must return the machine to
	// generation to, motd.
	rollback := func(t *testing.T, to, motd string) {
		t.Helper()
		r := m.gocfg(t, nil, "rollback", "--to", to)
		if r.code != 0 {
			t.Fatalf("root's rollback: %v", r)
		}
		wantEqual(t, "the /etc file", m.read(t, "/etc/gocfg-e2e-motd"), motd+"\n")
	}

	t.Run("her manager stopped: she logged out", func(t *testing.T) {
		m.MustExec(t, "systemctl", "stop", manager)
		rollback(t, "1", "one")
		rollback(t, "2", "two")
	})

	t.Run("her units folder a link out of her home", func(t *testing.T) {
		m.MustExecAs(t, "alice", "sh", "-c", "mv ~/.config/systemd /tmp/sd && ln -s /tmp/sd ~/.config/systemd")
		t.Cleanup(func() {
			m.MustExecAs(t, "alice", "sh", "-c", "rm ~/.config/systemd && mv /tmp/sd ~/.config/systemd")
		})
		rollback(t, "1", "one")
		rollback(t, "2", "two")
	})

	t.Run("her secret's file replaced by her own", func(t *testing.T) {
		m.MustExecAs(t, "alice", "sh", "-c", "rm ~/.netrc && echo mine > ~/.netrc")
		rollback(t, "1", "one")
		wantEqual(t, "her .netrc", m.read(t, "/home/alice/.netrc"), "mine\n")
		rollback(t, "2", "two")
	})
}
