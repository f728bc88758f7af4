package e2e

import (
	"strings"
	"testing"
)

// TestPasswordFileSecret: users.<name>.hashed_password_file naming an
// age secret's path, agenix's `hashedPasswordFile =
// config.age.secrets.<name>.path`, on a booted Debian container. The
// first switch creates carol, decrypts the secret with the host key and
// only then reads it (the plan says "read when applied"; that the hash
// works through PAM is TestOptionsEtc's). A new ciphertext sets the new hash in the same
// switch, a hand change is set back, a rollback decrypts the earlier
// secret and sets its hash again, and no hash is in anything gocfg
// printed.
func TestPasswordFileSecret(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-pwfile")
	hostRecipient := writeHostKey(t, m)
	const (
		hash1 = "$6$e2esalt$zOZct7UrQ6sIsfNBvQ662sivB4IXS47jqkC00bpToWkcNcVJZlzm.A.58f.uTQl8Hqx11f6uRjh6fuVVeriPR0"
		hash2 = "$6$e2eother$Qq0b2V3w"
	)
	encrypt := func(hash string) {
		t.Helper()
		m.writeSecret(t, cfgDir+"/secrets/carol-password.age", hash+"\n", hostRecipient)
	}
	m.config(t, `age {
  identity_paths = ["/etc/ssh/ssh_host_ed25519_key"]
  gocfg_binary   = "/usr/local/bin/gocfg"
  secrets "carol-password" {
    file = "./secrets/carol-password.age"
    path = "/etc/carol-password"
  }
}
users "carol" {
  hashed_password_file = config.age.secrets["carol-password"].path
}
`)
	var printed strings.Builder
	gocfg := func(t *testing.T, args ...string) string {
		t.Helper()
		out := m.mustGocfg(t, args...)
		printed.WriteString(out)
		return out
	}
	shadow := func(t *testing.T) string {
		t.Helper()
		f := strings.Split(m.out(t, "getent", "shadow", "carol"), ":")
		if len(f) < 2 {
			t.Fatalf("getent shadow carol: %q", f)
		}
		return f[1]
	}

	t.Run("the secret of the same switch", func(t *testing.T) {
		encrypt(hash1)
		out := gocfg(t, "plan", "-c", cfgDir)
		wantContains(t, "the plan", out, "+ user:carol", "+ secret:carol-password", "password:carol", "password (from /etc/carol-password, read when applied)")
		gocfg(t, "switch", "-c", cfgDir)
		wantEqual(t, "carol's hash", shadow(t), hash1)
		wantContains(t, "the second switch", gocfg(t, "switch", "-c", cfgDir), noChanges)
	})

	t.Run("a new ciphertext", func(t *testing.T) {
		encrypt(hash2)
		out := gocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the switch", out, "~ secret:carol-password", "read when applied")
		wantEqual(t, "carol's hash", shadow(t), hash2)
		wantContains(t, "the second switch", gocfg(t, "switch", "-c", cfgDir), noChanges)
	})

	t.Run("changed by hand", func(t *testing.T) {
		m.MustExec(t, "usermod", "-p", "$6$byhand$x", "carol")
		out := gocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the switch", out, "password:carol", "password (another) → password (hashed_password_file)")
		wantEqual(t, "carol's hash", shadow(t), hash2)
	})

	t.Run("rollback", func(t *testing.T) {
		gocfg(t, "rollback", "--to", "1")
		wantEqual(t, "carol's hash", shadow(t), hash1)
	})

	for _, h := range []string{hash1, hash2, "zOZct7Ur", "Qq0b2V3w"} {
		if strings.Contains(printed.String(), h) {
			t.Errorf("gocfg printed a hash (%q)", h)
		}
	}
}
