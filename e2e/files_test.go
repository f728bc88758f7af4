package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// carolsFiles is a configuration with the user carol, two of her dotfiles
// (one from a file next to the module, one from text) and two files under
// /etc; withCopy adds an /etc file written as a real file.
func carolsFiles(conf string, withCopy bool) string {
	cfg := fmt.Sprintf(`users "carol" { shell = "/bin/bash" }
home "carol" {
  files ".bashrc.d/gocfg.sh" { source = "./dot/gocfg.sh" }
  files ".config/app/conf" { text = %q }
}
environment {
  etc "gocfg-e2e.conf" { text = %q }
`, conf, "etc "+conf)
	if withCopy {
		cfg += `  etc "gocfg-e2e/secret" {
    text   = "s3cret"
    method = "copy"
    mode   = "0600"
  }
`
	}
	return cfg + "}\n"
}

// TestFilesAndRollback: dotfiles are links through the current
// generation, owned by their user; /etc files are links or copies; a
// rollback switches them back.
func TestFilesAndRollback(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-files")
	m.WriteFile(t, cfgDir+"/dot/gocfg.sh", []byte("export GOCFG_E2E=1\n"), 0o644)
	const conf = "/home/carol/.config/app/conf"

	t.Run("first generation", func(t *testing.T) {
		out := m.switchTo(t, carolsFiles("v1", true))
		wantContains(t, "the switch", out, "+ user:carol", "+ file:~carol/.config/app/conf", "+ file:/etc/gocfg-e2e.conf", "Generation 1 is current.")
		wantContains(t, conf, m.out(t, "readlink", conf), "/var/lib/gocfg/")
		wantEqual(t, conf+" (as carol)", m.out(t, "runuser", "-u", "carol", "--", "cat", conf), "v1")
		wantEqual(t, "the link's owner", m.out(t, "stat", "-c", "%U:%G", conf), "carol:carol")
		wantEqual(t, "~/.config/app", m.out(t, "stat", "-c", "%U:%G", "/home/carol/.config/app"), "carol:carol")
		wantEqual(t, "gocfg.sh (as carol)", m.out(t, "runuser", "-u", "carol", "--", "cat", "/home/carol/.bashrc.d/gocfg.sh"), "export GOCFG_E2E=1")
		// Another user cannot read carol's files through the store.
		if r := m.run(t, "runuser", "-u", "nobody", "--", "cat", m.out(t, "readlink", "-f", conf)); r.code == 0 {
			t.Errorf("nobody can read carol's file in the store")
		}
		wantEqual(t, "/etc/gocfg-e2e.conf", m.read(t, "/etc/gocfg-e2e.conf"), "etc v1")
		wantContains(t, "/etc/gocfg-e2e.conf", m.out(t, "readlink", "/etc/gocfg-e2e.conf"), "/var/lib/gocfg/current/")
		wantEqual(t, "the copied file", m.out(t, "stat", "-c", "%F %a %U", "/etc/gocfg-e2e/secret"), "regular file 600 root")
		wantEqual(t, "the copied file", m.read(t, "/etc/gocfg-e2e/secret"), "s3cret")
	})

	t.Run("second generation", func(t *testing.T) {
		m.switchTo(t, carolsFiles("v2", false))
		wantEqual(t, conf, m.read(t, conf), "v2")
		wantEqual(t, "/etc/gocfg-e2e.conf", m.read(t, "/etc/gocfg-e2e.conf"), "etc v2")
		if m.exists(t, "/etc/gocfg-e2e/secret") {
			t.Error("/etc/gocfg-e2e/secret is still there")
		}
	})

	t.Run("rollback", func(t *testing.T) {
		out := m.mustGocfg(t, "rollback")
		wantContains(t, "the rollback", out, "Generation 1 is current.")
		wantEqual(t, conf, m.read(t, conf), "v1")
		wantEqual(t, "/etc/gocfg-e2e.conf", m.read(t, "/etc/gocfg-e2e.conf"), "etc v1")
		wantEqual(t, "the copied file", m.out(t, "stat", "-c", "%F %a %U", "/etc/gocfg-e2e/secret"), "regular file 600 root")
		wantContains(t, "gocfg status", m.mustGocfg(t, "status"), "No drift")
		m.mustGocfg(t, "rollback", "--to", "2")
		wantEqual(t, conf, m.read(t, conf), "v2")
	})

	t.Run("edited by hand: drift", func(t *testing.T) {
		m.MustExec(t, "sh", "-c", "rm /etc/gocfg-e2e.conf && echo mine >/etc/gocfg-e2e.conf")
		st := m.gocfg(t, nil, "status")
		wantContains(t, "gocfg status", st.out, "/etc/gocfg-e2e.conf")
		if r := m.gocfg(t, nil, "switch", "-c", cfgDir); r.code != 1 || !strings.Contains(r.out, "/etc/gocfg-e2e.conf") {
			t.Errorf("switch over a file changed by hand: %v", r)
		}
		wantEqual(t, "the file changed by hand", m.read(t, "/etc/gocfg-e2e.conf"), "mine\n")
		m.mustGocfg(t, "switch", "-c", cfgDir, "--backup-ext", ".mine")
		wantEqual(t, "/etc/gocfg-e2e.conf", m.read(t, "/etc/gocfg-e2e.conf"), "etc v2")
		wantEqual(t, "the backup", m.read(t, "/etc/gocfg-e2e.conf.mine"), "mine\n")
	})

	// A file in the way stops the switch; what the hints suggest works.
	t.Run("conflict hints", func(t *testing.T) {
		r := m.trySwitch(t, `environment {
  etc "motd" { text = "managed" }
}
`)
		if r.code != 1 {
			t.Fatalf("switch with /etc/motd in the way: %v", r)
		}
		wantContains(t, "the error", r.out, "/etc/motd", "--backup-ext")
		if strings.Contains(r.out, "force = true on environment.etc") {
			r = m.trySwitch(t, `environment {
  etc "motd" {
    text  = "managed"
    force = true
  }
}
`)
			if r.code != 0 {
				t.Errorf("the hint says to set force = true on environment.etc; with it: %v", r)
			}
		}
	})
}
