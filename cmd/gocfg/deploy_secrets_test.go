package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/secrets"
)

// TestDeploySendsCiphertext: a host's age.secrets travel in its bundle
// as the repository's ciphertext, at the path the configuration names,
// for the host to decrypt with its own key; nothing else of them is
// sent.
func TestDeploySendsCiphertext(t *testing.T) {
	env := fleetEnv(t)
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	enc, err := secrets.Encrypt([]byte("token"), []age.Recipient{id.Recipient()}, true)
	if err != nil {
		t.Fatal(err)
	}
	ct := string(enc)
	dir := testfs.Tree(t, t.TempDir(), map[string]string{
		"hosts/web1.hcl": `age {
  secrets "token" {
    file = "../secrets/token.age"
    path = "/etc/app/token"
  }
}
`,
		"secrets/token.age": ct,
	})
	fleet := &fakeFleet{uname: "Linux x86_64\nID=debian\n", bundles: map[string]map[string]string{}}
	opts := amd64Deploy(t, env, fleet, dir, "web1")
	if err := runDeploy(context.Background(), opts); err != nil {
		t.Fatalf("%v\n%s%s", err, env.Stdout, env.Stderr)
	}
	b := fleet.bundles["web1"]
	src := filepath.Join(dir, "secrets/token.age")
	if b["src/"+strings.TrimPrefix(src, "/")] != ct {
		t.Errorf("the bundle lacks the ciphertext %s: %v", src, b)
	}
}
