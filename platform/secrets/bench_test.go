package secrets_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"filippo.io/age"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/secrets"
	"github.com/gocfg/gocfg/platform/system"
	agesecrets "github.com/gocfg/gocfg/secrets"
)

// BenchmarkSwitch200: a switch that writes 200 secrets (X25519), each
// decrypted at plan time and again at the switch, with the generation
// written and the set swapped; then one that changes one of them, which
// writes the whole set anew.
func BenchmarkSwitch200(b *testing.B) {
	if os.Geteuid() != 0 {
		b.Skip("needs root")
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		b.Fatal(err)
	}
	repo := b.TempDir()
	ss := map[string]secrets.Secret{}
	for i := range 200 {
		ct, err := agesecrets.Encrypt([]byte(fmt.Sprintf("secret %d", i)), []age.Recipient{id.Recipient()}, true)
		if err != nil {
			b.Fatal(err)
		}
		p := filepath.Join(repo, fmt.Sprintf("s%d.age", i))
		if err := os.WriteFile(p, ct, 0o644); err != nil {
			b.Fatal(err)
		}
		ss[fmt.Sprintf("s%d", i)] = secrets.Secret{File: p, Owner: "root", Mode: "0400"}
	}
	for _, name := range []string{"first", "one-changed"} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				r := &rig{t: b, root: b.TempDir(), repo: repo, id: id}
				r.sys = system.NewRooted(r.root, system.NewReal())
				for _, d := range []string{"proc/self", "run", "etc/gocfg-test", "var/lib/gocfg"} {
					if err := os.MkdirAll(filepath.Join(r.root, d), 0o755); err != nil {
						b.Fatal(err)
					}
				}
				mustWrite(b, filepath.Join(r.root, "proc/self/mountinfo"), "25 1 0:21 / /run rw - tmpfs tmpfs rw\n")
				mustWrite(b, filepath.Join(r.root, "etc/gocfg-test/age.key"), id.String()+"\n")
				r.accts = newRig0Accounts()
				r.sw = &providertest.Switcher{T: b, Sys: r.sys, Store: generations.New(r.sys, "/var/lib/gocfg")}
				cfg := r.config(ss)
				if name == "one-changed" {
					r.switchTo(cfg)
					ct, err := agesecrets.Encrypt([]byte("changed"), []age.Recipient{id.Recipient()}, true)
					if err != nil {
						b.Fatal(err)
					}
					p := filepath.Join(b.TempDir(), "changed.age")
					mustWrite(b, p, string(ct))
					cfg = r.config(maps200(ss, "s0", p))
				}
				b.StartTimer()
				r.switchTo(cfg)
			}
		})
	}
}

func mustWrite(b *testing.B, p, s string) {
	b.Helper()
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		b.Fatal(err)
	}
}

// maps200 is ss with name's file replaced.
func maps200(ss map[string]secrets.Secret, name, file string) map[string]secrets.Secret {
	out := map[string]secrets.Secret{}
	for k, v := range ss {
		out[k] = v
	}
	s := out[name]
	s.File = file
	out[name] = s
	return out
}
