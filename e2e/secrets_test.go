package e2e

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"filippo.io/age"
	"filippo.io/age/agessh"
	"golang.org/x/crypto/ssh"

	"github.com/gocfg/gocfg/internal/fleettest"
	"github.com/gocfg/gocfg/internal/nspawntest"
	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/secrets"
)

// secretsConfig declares two secrets: token (encrypted to an age X25519
// key in /root/age.key, linked from /etc/app/token, app:keys 0440, read
// by app.service as its EnvironmentFile) and db (encrypted to the
// container's SSH host key). other.service reads no secret.
func secretsConfig(withToken bool) string {
	token := ""
	if withToken {
		token = `  secrets "token" {
    file          = "./secrets/token.age"
    path          = "/etc/app/token"
    owner         = "app"
    group         = "keys"
    mode          = "0440"
    restart_units = ["app.service"]
  }
`
	}
	app := ""
	if withToken {
		app = `  services "app" {
    exec_start     = "/bin/sleep infinity"
    wanted_by      = ["multi-user.target"]
    service_config = { EnvironmentFile = config.age.secrets.token.path }
  }
`
	}
	home := ""
	if withToken {
		home = `home "alice" {
  age {
    secrets "netrc" {
      file = "./secrets/netrc.age"
      path = ".netrc"
      mode = "0600"
    }
  }
}
`
	}
	return home + `age {
  identity_paths = ["/etc/ssh/ssh_host_ed25519_key", "/root/age.key"]
  gocfg_binary   = "/usr/local/bin/gocfg"
` + token + `  secrets "db" {
    file = "./secrets/db.age"
  }
}
systemd {
` + app + `  services "other" {
    exec_start = "/bin/sleep infinity"
    wanted_by  = ["multi-user.target"]
  }
}
`
}

// TestSecrets: age.secrets on a booted Debian container. A secret
// decrypted with an age X25519 key and one with the SSH ed25519 host
// key land in /run/gocfg/secrets (a tmpfs) with their owner, group and
// mode, /etc/app/token links to its secret and app.service reads it as
// its EnvironmentFile; app.service is restarted when its secret
// changes, and not when another one does; a secret encrypted to someone
// else fails the switch before anything changes; a rollback decrypts
// the earlier ciphertext again; after gc, the plaintext is nowhere in
// the state folder, the store, the journal or anything gocfg printed;
// /run/gocfg wiped (as by a reboot), gocfg-secrets.service writes the
// secrets back; alice's key unreadable, her secret is held, and the
// warning shows its definition; removing a secret removes its plaintext.
func TestSecrets(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-secrets")
	m.MustExec(t, "useradd", "-M", "app")
	m.MustExec(t, "groupadd", "keys")
	m.MustExec(t, "useradd", "-m", "alice")

	// The host key (the minimal image has no sshd) and an age key.
	hostRecipient := writeHostKey(t, m)
	key, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	m.WriteFile(t, "/root/age.key", []byte(key.String()+"\n"), 0o600)
	encrypt := func(name, plaintext string, to age.Recipient) {
		t.Helper()
		ct, err := secrets.Encrypt([]byte(plaintext), []age.Recipient{to}, name == "token")
		if err != nil {
			t.Fatal(err)
		}
		m.WriteFile(t, cfgDir+"/secrets/"+name+".age", ct, 0o644)
	}
	const (
		token1 = "TOKEN=e2e-token-plaintext-one"
		token2 = "TOKEN=e2e-token-plaintext-two"
		db1    = "e2e-db-plaintext-one"
		token6 = "TOKEN=e2e-token-plaintext-six" // written by app, by hand
		db2    = "e2e-db-plaintext-two"
	)
	plaintexts := []string{"e2e-token-plaintext-one", "e2e-token-plaintext-two", "e2e-token-plaintext-six", db1, db2, "e2e-else-plaintext", "e2e-netrc-plaintext"}
	var printed strings.Builder // everything gocfg printed
	gocfg := func(t *testing.T, args ...string) string {
		t.Helper()
		out := m.mustGocfg(t, args...)
		printed.WriteString(out)
		return out
	}
	switchTo := func(t *testing.T, cfg string) string {
		t.Helper()
		m.config(t, cfg)
		gocfg(t, "plan", "-c", cfgDir)
		gocfg(t, "plan", "-c", cfgDir, "--json")
		return gocfg(t, "switch", "-c", cfgDir)
	}
	env := func(t *testing.T, unit string) string {
		t.Helper()
		pid := m.show(t, unit, "MainPID")
		return m.out(t, "sh", "-c", `tr '\0' '\n' < /proc/$1/environ | grep '^TOKEN=' || true`, "sh", pid)
	}
	encrypt("token", token1, key.Recipient())
	encrypt("db", db1, hostRecipient)
	// alice's own key, in her home, for her .netrc.
	aliceKey, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	m.WriteFile(t, "/home/alice/.config/gocfg/age.key", []byte(aliceKey.String()+"\n"), 0o600)
	m.MustExec(t, "chown", "-R", "alice:alice", "/home/alice/.config")
	encrypt("netrc", "e2e-netrc-plaintext", aliceKey.Recipient())

	t.Run("switched on", func(t *testing.T) {
		out := switchTo(t, secretsConfig(true))
		wantContains(t, "the switch", out, "+ secret:token", "+ secret:db", "ciphertext sha256:")
		wantEqual(t, "/run/gocfg/secrets", m.out(t, "readlink", "/run/gocfg/secrets"), "secrets.d/1")
		wantEqual(t, "secrets.d", m.out(t, "stat", "-c", "%a %U", "/run/gocfg/secrets.d"), "751 root")
		wantEqual(t, "the file system of secrets.d", m.out(t, "stat", "-f", "-c", "%T", "/run/gocfg/secrets.d/1"), "tmpfs")
		wantEqual(t, "token", m.out(t, "stat", "-c", "%F %a %U:%G", "/run/gocfg/secrets/token"), "regular file 440 app:keys")
		wantEqual(t, "db", m.out(t, "stat", "-c", "%F %a %U:%G", "/run/gocfg/secrets/db"), "regular file 400 root:root")
		wantEqual(t, "/etc/app/token", m.out(t, "readlink", "/etc/app/token"), "/run/gocfg/secrets/token")
		wantEqual(t, "token's content", m.read(t, "/etc/app/token"), token1)
		wantEqual(t, "db's content (host key)", m.read(t, "/run/gocfg/secrets/db"), db1)
		wantEqual(t, "app can read it", m.out(t, "runuser", "-u", "app", "--", "cat", "/etc/app/token"), token1)
		wantEqual(t, "app.service's TOKEN", env(t, "app.service"), token1)
		wantEqual(t, "gocfg-secrets.service", m.out(t, "systemctl", "is-enabled", "gocfg-secrets.service"), "enabled")
		wantEqual(t, "alice's .netrc", m.out(t, "stat", "-c", "%F %a %U:%G", "/home/alice/.netrc"), "regular file 600 alice:alice")
		wantEqual(t, "alice reads it", m.out(t, "runuser", "-u", "alice", "--", "cat", "/home/alice/.netrc"), "e2e-netrc-plaintext")
		out = gocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
	})

	appID := func(t *testing.T) string { t.Helper(); return m.show(t, "app.service", "InvocationID") }
	otherID := func(t *testing.T) string { t.Helper(); return m.show(t, "other.service", "InvocationID") }

	t.Run("a secret encrypted to someone else fails before anything changes", func(t *testing.T) {
		other, err := age.GenerateX25519Identity()
		if err != nil {
			t.Fatal(err)
		}
		encrypt("db", "e2e-else-plaintext", other.Recipient())
		r := m.trySwitch(t, secretsConfig(true))
		printed.WriteString(r.out)
		if r.code == 0 {
			t.Fatalf("switch succeeded: %v", r)
		}
		wantContains(t, "the error", r.out, `age.secrets."db".file`, "none of the identities can decrypt it")
		m.wantGenerations(t, []int{1}, 1)
		wantEqual(t, "db's content", m.read(t, "/run/gocfg/secrets/db"), db1)
	})

	t.Run("another secret changed: app.service is not restarted", func(t *testing.T) {
		before := appID(t)
		encrypt("db", db2, hostRecipient)
		out := switchTo(t, secretsConfig(true))
		wantContains(t, "the switch", out, "~ secret:db", "secret changed")
		if strings.Contains(out, "secret:token") {
			t.Errorf("token is in the plan:\n%s", out)
		}
		wantEqual(t, "db's content", m.read(t, "/run/gocfg/secrets/db"), db2)
		wantEqual(t, "app.service's invocation", appID(t), before)
		wantEqual(t, "/run/gocfg/secrets", m.out(t, "readlink", "/run/gocfg/secrets"), "secrets.d/2")
		if m.exists(t, "/run/gocfg/secrets.d/1") {
			t.Error("generation 1's set is still there")
		}
	})

	t.Run("its secret changed: app.service is restarted, other.service is not", func(t *testing.T) {
		app, other := appID(t), otherID(t)
		encrypt("token", token2, key.Recipient())
		out := switchTo(t, secretsConfig(true))
		wantContains(t, "the switch", out, "~ secret:token", "secret changed", "app.service")
		wantEqual(t, "token's content", m.read(t, "/etc/app/token"), token2)
		if appID(t) == app {
			t.Error("app.service was not restarted")
		}
		wantEqual(t, "app.service's TOKEN", env(t, "app.service"), token2)
		wantEqual(t, "other.service's invocation", otherID(t), other)
	})

	t.Run("rollback decrypts the earlier ciphertext again", func(t *testing.T) {
		app := appID(t)
		out := gocfg(t, "rollback", "--to", "2")
		wantContains(t, "the rollback", out, "secret:token")
		wantEqual(t, "token's content", m.read(t, "/etc/app/token"), token1)
		if appID(t) == app {
			t.Error("app.service was not restarted by the rollback")
		}
		wantEqual(t, "app.service's TOKEN", env(t, "app.service"), token1)
		wantContains(t, "generations diff", gocfg(t, "generations", "diff", "2", "3"), "~ secret:token", "ciphertext: sha256:")
		gocfg(t, "generations", "diff", "2", "3", "--json")
		gocfg(t, "status")
		gocfg(t, "status", "--json")
		wantContains(t, "the switch back", switchTo(t, secretsConfig(true)), "~ secret:token", "secret changed")
		wantEqual(t, "token's content", m.read(t, "/etc/app/token"), token2)
		gocfg(t, "generations", "delete", "1", "2")
		gocfg(t, "generations", "gc")
	})

	t.Run("wiped /run/gocfg: the boot unit writes the secrets again", func(t *testing.T) {
		m.MustExec(t, "systemctl", "stop", "app.service")
		m.MustExec(t, "rm", "-rf", "/run/gocfg")
		out := gocfg(t, "status")
		wantContains(t, "status", out, "secret:token")
		m.MustExec(t, "systemctl", "restart", "gocfg-secrets.service")
		wantEqual(t, "token's content", m.read(t, "/etc/app/token"), token2)
		wantEqual(t, "token", m.out(t, "stat", "-c", "%F %a %U:%G", "/run/gocfg/secrets/token"), "regular file 440 app:keys")
		wantEqual(t, "db's content", m.read(t, "/run/gocfg/secrets/db"), db2)
		m.MustExec(t, "systemctl", "start", "app.service")
		wantEqual(t, "app.service's TOKEN", env(t, "app.service"), token2)
		wantContains(t, "the boot unit's journal", m.out(t, "journalctl", "-u", "gocfg-secrets.service", "--no-pager"), "wrote the secrets of generation")
		out = gocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the switch after", out, noChanges)
	})

	t.Run("token edited by its owner: drift, written again", func(t *testing.T) {
		m.MustExec(t, "runuser", "-u", "app", "--", "sh", "-c",
			"chmod 640 /run/gocfg/secrets/token && printf %s TOKEN=e2e-token-plaintext-six > /run/gocfg/secrets/token && chmod 440 /run/gocfg/secrets/token")
		wantEqual(t, "token's content", m.read(t, "/etc/app/token"), token6)
		wantContains(t, "status", gocfg(t, "status"), "secret:token", "content changed since gocfg wrote it")
		wantContains(t, "the switch", gocfg(t, "switch", "-c", cfgDir), "~ secret:token", "content changed since gocfg wrote it (written again)")
		wantEqual(t, "token's content", m.read(t, "/etc/app/token"), token2)
		wantEqual(t, "token", m.out(t, "stat", "-c", "%F %a %U:%G", "/run/gocfg/secrets/token"), "regular file 440 app:keys")
		wantContains(t, "the switch after", gocfg(t, "switch", "-c", cfgDir), noChanges)
	})

	t.Run("the plaintext is nowhere but in /run/gocfg", func(t *testing.T) {
		for _, p := range plaintexts {
			if strings.Contains(printed.String(), p) {
				t.Errorf("gocfg printed %q", p)
			}
			if r := m.run(t, "grep", "-rlF", "--", p, "/var/lib/gocfg", cfgDir); r.code != 1 {
				t.Errorf("grep -r %q over the state folder and the repository: %v", p, r)
			}
			if r := m.run(t, "sh", "-c", `journalctl --no-pager | grep -F -- "$1"`, "sh", p); r.code != 1 {
				t.Errorf("the system journal holds %q: %v", p, r)
			}
		}
		if !strings.Contains(printed.String(), "sha256:") {
			t.Error("nothing printed a ciphertext hash")
		}
	})

	t.Run("alice's key unreadable: her secret is held, shown at its definition", func(t *testing.T) {
		m.WriteFile(t, "/home/alice/.config/gocfg/age.key", []byte("not a key\n"), 0o600)
		m.MustExec(t, "chown", "alice:alice", "/home/alice/.config/gocfg/age.key")
		encrypt("netrc", "e2e-netrc-plaintext", aliceKey.Recipient())
		r := m.trySwitch(t, secretsConfig(true))
		printed.WriteString(r.out)
		if r.code != 3 {
			t.Fatalf("switch: %v, want exit status 3 (partial)", r)
		}
		wantContains(t, "the warning", r.out, "the secrets of ~alice are left as they are", "--> ", "default.hcl:3:", `secrets "netrc" {`)
		wantEqual(t, "alice reads her .netrc as before", m.out(t, "runuser", "-u", "alice", "--", "cat", "/home/alice/.netrc"), "e2e-netrc-plaintext")
		m.WriteFile(t, "/home/alice/.config/gocfg/age.key", []byte(aliceKey.String()+"\n"), 0o600)
		m.MustExec(t, "chown", "alice:alice", "/home/alice/.config/gocfg/age.key")
		wantContains(t, "the switch with her key back", switchTo(t, secretsConfig(true)), "~ secret:~alice/netrc")
	})

	t.Run("a secret removed: its link and plaintext go", func(t *testing.T) {
		out := switchTo(t, secretsConfig(false))
		wantContains(t, "the switch", out, "- secret:token", "- secret:~alice/netrc")
		if m.exists(t, "/home/alice/.netrc") {
			t.Error("alice's .netrc is still there")
		}
		for _, gone := range []string{"/etc/app/token", "/run/gocfg/secrets/token"} {
			if m.exists(t, gone) {
				t.Errorf("%s is still there", gone)
			}
		}
		if r := m.run(t, "grep", "-rlF", "e2e-token-plaintext", "/run/gocfg/"); r.code != 1 {
			t.Errorf("the token's plaintext is still in /run/gocfg: %v", r)
		}
		wantEqual(t, "db's content", m.read(t, "/run/gocfg/secrets/db"), db2)
		m.config(t, "")
		gocfg(t, "switch", "-c", cfgDir)
		if m.exists(t, "/run/gocfg/secrets") {
			t.Error("/run/gocfg/secrets is still there without secrets")
		}
		if r := m.run(t, "sh", "-c", "ls -A /run/gocfg/secrets.d"); r.out != "" {
			t.Errorf("sets left: %v", r)
		}
		if m.exists(t, "/etc/systemd/system/gocfg-secrets.service") {
			t.Error("gocfg-secrets.service is still installed")
		}
	})
}

// TestSecretsReboot: a real boot with a switched machine's state. One
// container switches a secret (encrypted to its host key) and a unit
// that needs it; a second container boots with that container's state
// folder, /etc/systemd/system and host key, and an empty /run, as after
// a reboot: gocfg-secrets.service writes the secret back before the
// unit starts, and the next switch has nothing to do.
func TestSecretsReboot(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	nspawntest.Require(t)
	gocfgBin := nspawntest.BuildGocfg(t)
	m := &machine{Container: nspawntest.Boot(t, nspawntest.Options{Name: "e2e-secrets-1", Gocfg: gocfgBin, Bind: []string{out + ":/mnt/out"}})}
	host := writeHostKey(t, m)
	const plaintext = "e2e-reboot-plaintext"
	ct, err := secrets.Encrypt([]byte(plaintext), []age.Recipient{host}, false)
	if err != nil {
		t.Fatal(err)
	}
	m.WriteFile(t, cfgDir+"/db.age", ct, 0o644)
	// reader.service records, when it starts, whether the secret is
	// there (and never its content).
	const cfg = `age {
  gocfg_binary = "/usr/local/bin/gocfg"
  secrets "db" {
    file          = "./db.age"
    restart_units = ["reader.service"]
  }
}
systemd {
  services "reader" {
    type       = "oneshot"
    exec_start = "/bin/sh -c 'if [ -s /run/gocfg/secrets/db ]; then echo there; else echo missing; fi > /run/reader.out'"
    wanted_by  = ["multi-user.target"]
    service_config = { RemainAfterExit = "yes" }
  }
}
`
	m.switchTo(t, cfg)
	wantEqual(t, "reader.service's view in the switch", m.read(t, "/run/reader.out"), "there\n")
	m.MustExec(t, "sh", "-c", "tar -C / -cpf /mnt/out/state.tar var/lib/gocfg etc/systemd/system etc/ssh")
	if err := m.Stop(t); err != nil {
		t.Fatal(err)
	}

	dirs := map[string]string{}
	for _, d := range []string{"var/lib/gocfg", "etc/systemd/system", "etc/ssh"} {
		dirs[d] = t.TempDir()
	}
	for d, host := range dirs {
		if b, err := exec.Command("tar", "-C", host, "-xpf", out+"/state.tar", "--strip-components", fmt.Sprint(strings.Count(d, "/")+1), d).CombinedOutput(); err != nil {
			t.Fatalf("tar: %v: %s", err, b)
		}
	}
	c := nspawntest.Boot(t, nspawntest.Options{Name: "e2e-secrets-2", Gocfg: gocfgBin,
		Bind: []string{dirs["var/lib/gocfg"] + ":/var/lib/gocfg", dirs["etc/systemd/system"] + ":/etc/systemd/system", dirs["etc/ssh"] + ":/etc/ssh"}})
	m2 := &machine{Container: c}
	wantEqual(t, "gocfg-secrets.service after the boot", m2.out(t, "systemctl", "is-active", "gocfg-secrets.service"), "active")
	wantEqual(t, "reader.service's view at boot", m2.read(t, "/run/reader.out"), "there\n")
	wantEqual(t, "the secret", m2.read(t, "/run/gocfg/secrets/db"), plaintext)
	wantContains(t, "the boot unit's journal", m2.out(t, "journalctl", "-b", "-u", "gocfg-secrets.service", "--no-pager"), "wrote the secrets of generation 1")
	m2.WriteFile(t, cfgDir+"/db.age", ct, 0o644)
	wantContains(t, "the switch after the boot", m2.switchTo(t, cfg), noChanges)
}

// TestSecretsMountsTmpfs: where /run/gocfg is not on a RAM file system
// (a disk folder bound there), the switch mounts a tmpfs on
// /run/gocfg/secrets.d (nodev, nosuid, noexec, 0751), so the plaintext
// never reaches the disk.
func TestSecretsMountsTmpfs(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-secrets-tmpfs")
	m.MustExec(t, "mkdir", "-p", "/var/tmp/run-gocfg", "/run/gocfg")
	m.MustExec(t, "mount", "--bind", "/var/tmp/run-gocfg", "/run/gocfg")
	key, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	m.WriteFile(t, "/root/age.key", []byte(key.String()+"\n"), 0o600)
	m.writeSecret(t, cfgDir+"/s.age", "e2e-tmpfs-plaintext", key.Recipient())
	m.switchTo(t, `age {
  identity_paths = ["/root/age.key"]
  gocfg_binary   = "/usr/local/bin/gocfg"
  secrets "s" {
    file = "./s.age"
  }
}
`)
	wantEqual(t, "the mount", m.out(t, "findmnt", "-n", "-o", "FSTYPE", "/run/gocfg/secrets.d"), "tmpfs")
	opts := m.out(t, "findmnt", "-n", "-o", "OPTIONS", "/run/gocfg/secrets.d")
	wantContains(t, "the mount's options", opts, "nosuid", "nodev", "noexec", "mode=751")
	wantEqual(t, "the secret", m.read(t, "/run/gocfg/secrets/s"), "e2e-tmpfs-plaintext")
	m.MustExec(t, "umount", "/run/gocfg/secrets.d")
	if r := m.run(t, "grep", "-rl", "e2e-tmpfs-plaintext", "/var/tmp/run-gocfg"); r.code != 1 {
		t.Errorf("the plaintext reached the disk: %v", r)
	}
}

// TestDeploySecrets: gocfg deploy sends a host the ciphertext only, and
// the host decrypts it with its own SSH host key when it switches; the
// plaintext is nowhere on the host but in /run/gocfg, nor in what deploy
// printed; the plan warns that the boot unit's program is not there.
func TestDeploySecrets(t *testing.T) {
	t.Parallel()
	nspawntest.Require(t)
	d := &deployFleet{Fleet: fleettest.New(t, 1), gocfg: privateGocfg(t), dir: t.TempDir()}
	h := d.Hosts()[0]
	rcpt, err := secrets.ParseRecipient(h.HostKey())
	if err != nil {
		t.Fatal(err)
	}
	const plaintext = "e2e-deploy-plaintext"
	ct, err := secrets.Encrypt([]byte(plaintext), []age.Recipient{rcpt}, true)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"secrets/token.age": string(ct),
		"hosts/" + h.Name() + ".hcl": fmt.Sprintf(`deployment {
  target_user     = %q
  confirm_timeout = 8
}
age {
  identity_paths = ["/etc/ssh/fleettest_host_ed25519_key"]
  secrets "token" {
    file = "../secrets/token.age"
    path = "/etc/app/token"
  }
}
`, fleettest.DeployUser),
	}
	testfs.Tree(t, d.dir, files)
	rs, out, code := d.deploy(t)
	wantResults(t, rs, map[string]string{h.Name(): "switched"})
	if code != 0 {
		t.Fatalf("exit status %d", code)
	}
	wantEqual(t, "the secret on the host", d.mustExec(t, h.Name(), "cat", "/etc/app/token"), plaintext)
	wantContains(t, "deploy's output", out, "age.gocfg_binary")
	if strings.Contains(out, plaintext) {
		t.Errorf("deploy printed the plaintext:\n%s", out)
	}
	if r := rs[h.Name()]; r.SentFiles != 1 || r.SentBytes != int64(len(ct)) {
		t.Errorf("sent %d files, %d bytes; want the ciphertext (%d bytes)", r.SentFiles, r.SentBytes, len(ct))
	}
	if out, err := d.exec(t, h.Name(), "grep", "-rlF", plaintext, "/var/lib/gocfg", "/home", "/root", "/tmp", "/var/tmp"); err == nil || out != "" {
		t.Errorf("the plaintext is on the host's disk: %s", out)
	}
}

// writeSecret writes at path in the container plaintext encrypted
// (armoured) to one recipient.
func (m *machine) writeSecret(t *testing.T, path, plaintext string, to age.Recipient) {
	t.Helper()
	ct, err := secrets.Encrypt([]byte(plaintext), []age.Recipient{to}, true)
	if err != nil {
		t.Fatal(err)
	}
	m.WriteFile(t, path, ct, 0o644)
}

// writeHostKey gives m a new SSH ed25519 host key (the minimal image has
// no sshd to make one) and returns its public half as an age recipient.
func writeHostKey(t *testing.T, m *machine) age.Recipient {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "root@e2e-secrets")
	if err != nil {
		t.Fatal(err)
	}
	m.WriteFile(t, "/etc/ssh/ssh_host_ed25519_key", pem.EncodeToMemory(block), 0o600)
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	rcpt, err := agessh.NewEd25519Recipient(sshPub)
	if err != nil {
		t.Fatal(err)
	}
	return rcpt
}
