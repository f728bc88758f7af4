package e2e

import (
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/nspawntest"
)

// TestOptionsResolver: in one booted Debian container,
// networking.nameservers and networking.search replace the machine's
// /etc/resolv.conf, which glibc reads for every lookup, with
// their nameserver and search lines (the container has no network, so
// no server is asked: the test reads the file as the resolver does,
// through the link gocfg makes); a second switch changes nothing, and
// the options removed put the machine's file back. Then with
// systemd-resolved installed (its package links /etc/resolv.conf to
// resolved's stub) and networking.resolver = "systemd-resolved": the
// drop-in /etc/systemd/resolved.conf.d/60-gocfg.conf, resolved
// restarted, which then reports the servers and domains as its global
// ones (resolvectl, over D-Bus) and lists them in the resolv.conf it
// writes for programs that bypass it; /etc/resolv.conf is left as the
// package made it; removing the options takes the drop-in away and
// restarts resolved, which has no global server any more.
func TestOptionsResolver(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-options-resolver")
	const cfg = `networking {
  nameservers = ["192.0.2.53", "2001:db8::53"]
  search      = ["corp.example.org", "example.org"]
}
`
	const header = "# Written by gocfg (networking.nameservers, networking.search); replaced by every switch.\n"
	// fileKind is what /etc/resolv.conf is: "regular file", or
	// "symbolic link -> target".
	fileKind := func(t *testing.T) string {
		t.Helper()
		return m.out(t, "sh", "-c", `printf '%s' "$(stat -c %F /etc/resolv.conf)"; [ -L /etc/resolv.conf ] && printf ' -> %s' "$(readlink /etc/resolv.conf)"; true`)
	}
	before := m.read(t, "/etc/resolv.conf")
	kindBefore := fileKind(t)
	if strings.Contains(before, "192.0.2.53") {
		t.Fatalf("/etc/resolv.conf names the test's server before the switch:\n%s", before)
	}

	t.Run("resolv.conf", func(t *testing.T) {
		out := m.switchTo(t, cfg)
		if l := planLine(out, "file:/etc/resolv.conf"); !strings.HasPrefix(l, "~") || !strings.Contains(l, "force = true") {
			t.Errorf("the switch does not replace /etc/resolv.conf:\n%s", out)
		}
		wantEqual(t, "/etc/resolv.conf", m.read(t, "/etc/resolv.conf"),
			header+"nameserver 192.0.2.53\nnameserver 2001:db8::53\nsearch corp.example.org example.org\n")
		// glibc opens the path and follows the link; root and every
		// user can read it.
		wantEqual(t, "/etc/resolv.conf, followed", m.out(t, "stat", "-L", "-c", "%F %a", "/etc/resolv.conf"), "regular file 444")
		if r := m.run(t, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "cat", "/etc/resolv.conf"); r.code != 0 || !strings.Contains(r.out, "nameserver 192.0.2.53") {
			t.Errorf("nobody reading /etc/resolv.conf: %v", r)
		}
		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
	})

	t.Run("options removed: the machine's file back", func(t *testing.T) {
		out := m.switchTo(t, "")
		wantContains(t, "the switch", out, "file:/etc/resolv.conf")
		wantEqual(t, "/etc/resolv.conf", m.read(t, "/etc/resolv.conf"), before)
		wantEqual(t, "/etc/resolv.conf", fileKind(t), kindBefore)
	})

	t.Run("systemd-resolved", func(t *testing.T) {
		m.UseLocalDebs(t)
		// .ci/rootfs.sh puts the package in the local repository (its
		// DEB_PACKAGES); an older repository lacks it.
		if r := m.run(t, "apt-cache", "show", "systemd-resolved"); r.code != 0 || !strings.Contains(r.out, "Package: systemd-resolved") {
			nspawntest.Unavailable(t, "e2e", "no systemd-resolved in the local apt repository %s: add it to DEB_PACKAGES of .ci/rootfs.sh and rebuild it", nspawntest.DebsDir())
		}
		m.MustExec(t, "apt-get", "install", "-y", "-q", "systemd-resolved")
		const unit = "systemd-resolved.service"
		const dropIn = "/etc/systemd/resolved.conf.d/60-gocfg.conf"
		wantEqual(t, unit, m.out(t, "systemctl", "is-active", unit), "active")
		stub := fileKind(t)
		if !strings.Contains(stub, "stub-resolv.conf") {
			t.Fatalf("/etc/resolv.conf after installing systemd-resolved: %s", stub)
		}
		invocation := m.show(t, unit, "InvocationID")
		resolved := `networking {
  resolver    = "systemd-resolved"
  nameservers = ["192.0.2.53", "2001:db8::53"]
  search      = ["corp.example.org"]
}
`
		out := m.switchTo(t, resolved)
		wantContains(t, "the switch", out, "file:"+dropIn)
		if strings.Contains(out, "on_change") || strings.Contains(out, "warning") {
			t.Errorf("a hook failed, or a warning:\n%s", out)
		}
		if strings.Contains(out, "file:/etc/resolv.conf ") {
			t.Errorf("the switch touches /etc/resolv.conf:\n%s", out)
		}
		wantEqual(t, dropIn, m.read(t, dropIn), header+"[Resolve]\nDNS=192.0.2.53 2001:db8::53\nDomains=corp.example.org\n")
		wantEqual(t, "/etc/resolv.conf", fileKind(t), stub)
		now := m.show(t, unit, "InvocationID")
		if now == invocation {
			t.Errorf("%s was not restarted (invocation %s)", unit, now)
		}
		wantContains(t, "resolvectl dns", m.out(t, "resolvectl", "dns"), "Global: 192.0.2.53 2001:db8::53")
		wantContains(t, "resolvectl domain", m.out(t, "resolvectl", "domain"), "Global: corp.example.org")
		wantContains(t, "/run/systemd/resolve/resolv.conf", m.read(t, "/run/systemd/resolve/resolv.conf"),
			"nameserver 192.0.2.53\nnameserver 2001:db8::53\n", "search corp.example.org")

		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
		wantEqual(t, unit+" after the second switch", m.show(t, unit, "InvocationID"), now)

		out = m.switchTo(t, "")
		wantContains(t, "the switch", out, "file:"+dropIn)
		if strings.Contains(out, "on_change") || strings.Contains(out, "warning") {
			t.Errorf("a hook failed, or a warning:\n%s", out)
		}
		if m.exists(t, dropIn) {
			t.Errorf("%s is still there", dropIn)
		}
		if m.show(t, unit, "InvocationID") == now {
			t.Errorf("%s was not restarted after the drop-in went", unit)
		}
		if got := m.out(t, "resolvectl", "dns"); strings.Contains(got, "192.0.2.53") {
			t.Errorf("resolvectl dns still names the servers:\n%s", got)
		}
		wantEqual(t, "/etc/resolv.conf", fileKind(t), stub)
	})
}
