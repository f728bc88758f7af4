package e2e

import (
	"strconv"
	"strings"
	"testing"
)

// TestUsersAndGroups: users and groups are created with the machine's
// shadow tools, changed to match, and deleted when the configuration drops
// them only if gocfg created them; root and users made by hand are never
// deleted.
func TestUsersAndGroups(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-users")

	t.Run("create", func(t *testing.T) {
		out := m.switchTo(t, `users "alice" {
  shell  = "/bin/bash"
  groups = ["media"]
}
groups "media" { gid = 2000 }
`)
		wantContains(t, "the switch", out, "+ user:alice", "+ group:media", "Generation 1 is current.")
		wantEqual(t, "getent passwd alice", m.out(t, "getent", "passwd", "alice"), "alice:x:1000:1000::/home/alice:/bin/bash")
		wantEqual(t, "getent group media", m.out(t, "getent", "group", "media"), "media:x:2000:alice")
		wantEqual(t, "home", m.out(t, "stat", "-c", "%a %U:%G", "/home/alice"), "700 alice:alice")
		wantContains(t, "id alice", m.out(t, "id", "alice"), "groups=1000(alice),2000(media)")
		// alice can log in and work in her home.
		wantEqual(t, "as alice", m.out(t, "runuser", "-u", "alice", "--", "sh", "-c", `cd && touch f && echo "$(id -un) $HOME"`), "alice /home/alice")
	})

	t.Run("modify", func(t *testing.T) {
		out := m.switchTo(t, `users "alice" {
  shell       = "/bin/sh"
  description = "Alice Liddell"
  groups      = ["media"]
}
groups "media" { gid = 2000 }
`)
		wantContains(t, "the switch", out, "~ user:alice", "shell /bin/bash → ", "/bin/sh")
		wantEqual(t, "getent passwd alice", m.out(t, "getent", "passwd", "alice"), "alice:x:1000:1000:Alice Liddell:/home/alice:/bin/sh")
		wantContains(t, "id alice", m.out(t, "id", "alice"), "2000(media)")
		wantContains(t, "gocfg status", m.mustGocfg(t, "status"), "No drift")
	})

	// Tester BH: a switch dropping an account she was logged in to
	// failed at userdel, its other steps run first and then undone. The
	// plan refuses it, naming the option, before anything runs; plan
	// says so too.
	t.Run("remove while she is logged in: refused by the plan", func(t *testing.T) {
		// A service with a PAM session: logind registers a session of
		// hers, as a login does.
		m.MustExec(t, "systemd-run", "--unit=alice-login", "-p", "PAMName=login", "-p", "User=alice", "/bin/sleep", "300")
		t.Cleanup(func() { m.run(t, "systemctl", "stop", "alice-login") })
		// waitSessions waits (10 s at most) until test says yes of her
		// sessions ($s).
		waitSessions := func(test string) {
			m.MustExec(t, "sh", "-c", `for i in $(seq 100); do s=$(loginctl show-user alice -p Sessions --value 2>/dev/null); `+test+` && exit 0; sleep 0.1; done; exit 1`)
		}
		waitSessions(`[ -n "$s" ]`)
		m.config(t, "")
		for _, cmd := range []string{"plan", "switch"} {
			r := m.gocfg(t, nil, cmd, "-c", cfgDir)
			if r.code != 1 {
				t.Fatalf("gocfg %s with alice logged in: %v", cmd, r)
			}
			wantContains(t, "gocfg "+cmd, r.out, "users.alice: no longer declared, so the plan deletes this account gocfg made, but alice is logged in (session ",
				"loginctl terminate-user alice")
			if strings.Contains(r.out, "userdel") {
				t.Errorf("gocfg %s ran userdel:\n%s", cmd, r.out)
			}
		}
		wantEqual(t, "getent passwd alice", m.out(t, "getent", "passwd", "alice"), "alice:x:1000:1000:Alice Liddell:/home/alice:/bin/sh")
		// Her session ends: the next subtests delete her.
		m.MustExec(t, "systemctl", "stop", "alice-login")
		waitSessions(`[ -z "$s" ]`)
	})

	// Tester AI: a process of hers made every switch that drops her
	// account fail, with nothing saying what to do.
	t.Run("remove while a process of hers runs: the hint ends it", func(t *testing.T) {
		m.MustExec(t, "sh", "-c", "runuser -u alice -- setsid sleep 300 </dev/null >/dev/null 2>&1 &")
		t.Cleanup(func() { m.run(t, "pkill", "-KILL", "-u", "alice") })
		m.config(t, "")
		r := m.gocfg(t, nil, "switch", "-c", cfgDir)
		if r.code == 0 {
			t.Fatalf("the switch deleted alice with a process of hers running: %v", r)
		}
		wantContains(t, "the switch", r.out, "is currently used by process", "gocfg: hint: processes of alice still run", "loginctl terminate-user alice")
		wantEqual(t, "getent passwd alice", m.out(t, "getent", "passwd", "alice"), "alice:x:1000:1000:Alice Liddell:/home/alice:/bin/sh")
		m.MustExec(t, "pkill", "-KILL", "-u", "alice")
	})

	t.Run("remove: created by gocfg, deleted", func(t *testing.T) {
		out := m.switchTo(t, "")
		wantContains(t, "the switch", out, "- user:alice", "- group:media")
		if r := m.run(t, "id", "alice"); r.code == 0 {
			t.Errorf("alice still exists: %s", r.out)
		}
		if r := m.run(t, "getent", "group", "media"); r.code == 0 {
			t.Errorf("media still exists: %s", r.out)
		}
		// The home folder is kept (platform/users: never deleted).
		if !m.exists(t, "/home/alice/f") {
			t.Error("alice's home folder is gone")
		}
	})

	t.Run("made by hand: never deleted", func(t *testing.T) {
		m.MustExec(t, "useradd", "-m", "-s", "/bin/sh", "bob")
		out := m.switchTo(t, `users "bob" {
  shell       = "/bin/bash"
  description = "Bob"
}
users "root" { shell = "/bin/bash" }
`)
		wantContains(t, "the switch", out, "~ user:bob", "adopted")
		wantEqual(t, "getent passwd bob", m.out(t, "getent", "passwd", "bob"), "bob:x:1000:1000:Bob:/home/bob:/bin/bash")
		out = m.switchTo(t, "")
		if strings.Contains(out, "- user:") {
			t.Errorf("undeclaring bob and root deletes something:\n%s", out)
		}
		// What gocfg set on the account it adopted is put back as it
		// was (platform/users, original.go): bob's description and
		// shell; root's shell was /bin/bash already.
		wantContains(t, "the switch", out, "~ user:bob", "description put back as it was before gocfg set it", "shell put back as it was before gocfg set it")
		wantEqual(t, "getent passwd bob", m.out(t, "getent", "passwd", "bob"), "bob:x:1000:1000::/home/bob:/bin/sh")
		wantEqual(t, "getent passwd root", m.out(t, "getent", "passwd", "root"), "root:x:0:0:root:/root:/bin/bash")
	})

	// Once bob is no longer declared gocfg does not manage him: a change
	// made by hand afterwards is not drift, and status and switch agree.
	t.Run("undeclared user no longer managed", func(t *testing.T) {
		m.switchTo(t, `users "bob" { shell = "/bin/sh" }`)
		out := m.switchTo(t, "")
		m.MustExec(t, "usermod", "-s", "/bin/bash", "bob")
		st := m.mustGocfg(t, "status")
		sw := m.mustGocfg(t, "switch", "-c", cfgDir)
		if strings.Contains(sw, noChanges) && strings.Contains(st, "user:bob") {
			t.Errorf("after undeclaring bob (switch said:\n%s)\ngocfg status reports him:\n%s\nbut gocfg switch says:\n%s", out, st, sw)
		}
		wantEqual(t, "bob's shell", m.out(t, "getent", "passwd", "bob"), "bob:x:1000:1000::/home/bob:/bin/bash")
	})

	// A service account's shell is nologin, which /etc/shells never lists.
	t.Run("nologin shell", func(t *testing.T) {
		m.switchTo(t, `users "svc" {
  shell       = "/usr/sbin/nologin"
  create_home = false
}
`)
		wantContains(t, "getent passwd svc", m.out(t, "getent", "passwd", "svc"), ":/usr/sbin/nologin")
	})

	// gocfg created carol, deleted her, and a rollback creates her again;
	// rolling back to a generation without her deletes her again, even
	// when her old uid was taken in between and she got another one (the
	// rollback then records a new generation with that uid).
	t.Run("rollback recreates and deletes", func(t *testing.T) {
		m.switchTo(t, `users "carol" { shell = "/bin/bash" }`)
		_, with := m.generations(t)
		uid := m.out(t, "id", "-u", "carol")
		m.switchTo(t, "")
		_, without := m.generations(t)
		m.MustExec(t, "useradd", "-u", uid, "dan") // carol's uid is taken by hand
		out := m.mustGocfg(t, "rollback", "--to", strconv.Itoa(with))
		wantContains(t, "the rollback", out, "users.carol: the recorded uid "+uid+" is taken by user dan")
		if r := m.run(t, "id", "carol"); r.code != 0 {
			t.Fatalf("carol was not re-created: %s", r.out)
		}
		out = m.mustGocfg(t, "rollback", "--to", strconv.Itoa(without))
		wantContains(t, "the second rollback", out, "- user:carol")
		if r := m.run(t, "id", "carol"); r.code == 0 {
			t.Errorf("carol, created by gocfg, was not deleted: %s", r.out)
		}
	})
}
