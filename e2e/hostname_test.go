package e2e

import (
	"testing"
)

// TestHostname: networking.host_name is set through the machine's
// hostnamed, follows rollbacks, and when the option goes the static host
// name the machine had before gocfg is put back.
func TestHostname(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-hostname")
	// Like an installed machine, this one has a static host name.
	m.MustExec(t, "hostnamectl", "set-hostname", "e2e-orig")
	names := func(t *testing.T, want string) {
		t.Helper()
		wantEqual(t, "hostnamectl --static", m.out(t, "hostnamectl", "--static"), want)
		wantEqual(t, "hostname", m.out(t, "hostname"), want)
		wantEqual(t, "/etc/hostname", m.read(t, "/etc/hostname"), want+"\n")
	}

	t.Run("set", func(t *testing.T) {
		out := m.switchTo(t, `networking { host_name = "gocfg-e2e" }`)
		wantContains(t, "the switch", out, "~ hostname", "e2e-orig → gocfg-e2e")
		names(t, "gocfg-e2e")
	})

	t.Run("changed, then rolled back", func(t *testing.T) {
		m.switchTo(t, `networking { host_name = "gocfg-e2e-two" }`)
		names(t, "gocfg-e2e-two")
		out := m.mustGocfg(t, "rollback")
		wantContains(t, "the rollback", out, "gocfg-e2e-two → gocfg-e2e", "Generation 1 is current.")
		names(t, "gocfg-e2e")
	})

	t.Run("unset: the original name is back", func(t *testing.T) {
		out := m.switchTo(t, "")
		wantContains(t, "the switch", out, "- hostname", "gocfg-e2e → e2e-orig")
		names(t, "e2e-orig")
		// Rolling back to a generation that sets it sets it again, and
		// forward again puts the original back.
		m.mustGocfg(t, "rollback", "--to", "1")
		names(t, "gocfg-e2e")
		m.mustGocfg(t, "switch", "-c", cfgDir)
		names(t, "e2e-orig")
		wantContains(t, "gocfg status", m.mustGocfg(t, "status"), "No drift")
	})

	// A machine without a static host name (this container booted with
	// only the transient name nspawn gives it): unsetting the option
	// removes the static name again. The kernel keeps gocfg's name until
	// the next boot (documented in platform/hostname).
	t.Run("no static name before", func(t *testing.T) {
		m.MustExec(t, "hostnamectl", "set-hostname", "--static", "")
		m.switchTo(t, `networking { host_name = "gocfg-e2e" }`)
		names(t, "gocfg-e2e")
		out := m.switchTo(t, "")
		wantContains(t, "the switch", out, "- hostname", "gocfg-e2e → (no static host name)")
		wantEqual(t, "hostnamectl --static", m.out(t, "hostnamectl", "--static"), "")
		if m.exists(t, "/etc/hostname") {
			t.Errorf("/etc/hostname is there: %q", m.read(t, "/etc/hostname"))
		}
		t.Logf("the kernel's host name is now %q", m.out(t, "hostname"))
		m.MustExec(t, "hostnamectl", "set-hostname", "e2e-orig")
	})

	t.Run("changed by hand, then unset: left alone", func(t *testing.T) {
		m.switchTo(t, `networking { host_name = "gocfg-e2e" }`)
		m.MustExec(t, "hostnamectl", "set-hostname", "by-hand")
		out := m.switchTo(t, "")
		wantContains(t, "the switch", out, `warning: networking.host_name: changed by hand to "by-hand"`, "no longer managed")
		names(t, "by-hand")
	})

	// gocfg let go of the name above; when it manages it again, the name
	// to put back is the one the machine has then, not one from before.
	t.Run("managed again after being let go", func(t *testing.T) {
		m.switchTo(t, `networking { host_name = "gocfg-e2e" }`)
		names(t, "gocfg-e2e")
		out := m.switchTo(t, "")
		wantContains(t, "the switch", out, "gocfg-e2e → by-hand")
		names(t, "by-hand")
	})

	// /etc/hosts names the machine (tester W: it kept the name the
	// machine had, so the new name did not resolve and sudo said
	// "unable to resolve host"), and the machine's file is back when
	// the options go.
	t.Run("/etc/hosts", func(t *testing.T) {
		// As Debian's installer writes it (this image has none).
		before := "127.0.0.1\tlocalhost\n127.0.1.1\te2e-orig\n"
		m.MustExec(t, "sh", "-c", `printf '%s' "$1" >/etc/hosts`, "sh", before)
		m.switchTo(t, `networking {
  host_name = "gocfg-e2e.example.org"
  hosts     = { "10.9.8.7" = ["nas"] }
}`)
		wantEqual(t, "hostname", m.out(t, "hostname"), "gocfg-e2e.example.org")
		wantEqual(t, "hostname --fqdn", m.out(t, "hostname", "--fqdn"), "gocfg-e2e.example.org")
		wantContains(t, "getent hosts gocfg-e2e", m.out(t, "getent", "hosts", "gocfg-e2e"), "127.0.1.1")
		wantContains(t, "getent hosts nas", m.out(t, "getent", "hosts", "nas"), "10.9.8.7")
		m.switchTo(t, "")
		wantEqual(t, "/etc/hosts", m.read(t, "/etc/hosts"), before)
	})
}
