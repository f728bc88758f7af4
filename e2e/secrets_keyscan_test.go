package e2e

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/gocfg/gocfg/internal/fleettest"
	"github.com/gocfg/gocfg/internal/nspawntest"
	"github.com/gocfg/gocfg/secrets"
)

// TestSecretsKeyscan runs `gocfg secrets keyscan` against a real sshd (a
// fleettest host in its own network namespace): the line it prints names
// the host's ed25519 key, is a valid recipient in secrets.hcl, and a file
// encrypted to it opens with the private host key read from the host; a
// closed port and a host whose network is cut are errors that say so.
func TestSecretsKeyscan(t *testing.T) {
	t.Parallel()
	nspawntest.Require(t)
	gocfg := privateGocfg(t)
	f := fleettest.New(t, 1)
	h := f.Host("host1")
	keyscan := func(t *testing.T, args ...string) (string, string, error) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		var stdout, stderr bytes.Buffer
		cmd := f.Control(ctx, gocfg, append([]string{"secrets", "keyscan"}, args...)...)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		return stdout.String(), stderr.String(), err
	}
	hostKey := strings.Join(strings.Fields(h.HostKey())[:2], " ")

	t.Run("the host key as a secrets.hcl line", func(t *testing.T) {
		out, errOut, err := keyscan(t, "--name", "web1", h.Addr())
		if err != nil {
			t.Fatalf("keyscan: %v\n%s", err, errOut)
		}
		want := `web1 = "` + hostKey + `"  # ` + h.Addr() + "\n"
		wantEqual(t, "keyscan's line", out, want)

		src := "recipients = {\n  " + out + "}\nsecret \"s.age\" {\n  recipients = [recipients.web1]\n}\n"
		rf, diags := secrets.ParseRecipientsFile("/repo/secrets.hcl", []byte(src))
		if diags.HasErrors() {
			t.Fatalf("the line in secrets.hcl: %s", diags.Error())
		}
		ct, err := secrets.Encrypt([]byte("for web1 only"), rf.Secrets[0].AgeRecipients(), true)
		if err != nil {
			t.Fatal(err)
		}
		priv, err := f.SSH(t, "host1", "cat", "/etc/ssh/fleettest_host_ed25519_key")
		if err != nil {
			t.Fatal(err)
		}
		ids, err := secrets.ParseIdentities("host1:/etc/ssh/fleettest_host_ed25519_key", []byte(priv), nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := secrets.Decrypt(ct, ids)
		if err != nil || string(got) != "for web1 only" {
			t.Errorf("decrypting with the host's key: %q, %v", got, err)
		}
		other, _ := age.GenerateX25519Identity()
		if _, err := secrets.Decrypt(ct, []age.Identity{other}); err == nil {
			t.Error("another key decrypts it")
		}
	})

	t.Run("the default name is the address's", func(t *testing.T) {
		out, errOut, err := keyscan(t, h.Addr())
		if err != nil {
			t.Fatalf("keyscan: %v\n%s", err, errOut)
		}
		wantEqual(t, "keyscan's line", out, `host_`+strings.ReplaceAll(h.Addr(), ".", "_")+` = "`+hostKey+`"  # `+h.Addr()+"\n")
	})

	t.Run("a closed port", func(t *testing.T) {
		out, errOut, err := keyscan(t, "--port", "1", h.Addr())
		if err == nil || out != "" {
			t.Fatalf("keyscan of a closed port: %v, stdout %q", err, out)
		}
		wantContains(t, "stderr", errOut, "gocfg: error: "+h.Addr()+":1: cannot connect: connection refused")
	})

	t.Run("a host cut off", func(t *testing.T) {
		h.CutNetwork(t)
		defer h.RestoreNetwork(t)
		start := time.Now()
		out, errOut, err := keyscan(t, "--timeout", "2", h.Addr())
		if err == nil || out != "" {
			t.Fatalf("keyscan of a host cut off: %v, stdout %q", err, out)
		}
		wantContains(t, "stderr", errOut, "gocfg: error: "+h.Addr()+": cannot connect: ")
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("gave up after %s, want about 4 s (--timeout 2 twice)", d)
		}
	})
}
