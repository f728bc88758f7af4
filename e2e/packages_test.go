package e2e

import (
	"strings"
	"testing"
)

// TestPackages: environment.system_packages installs with apt (from the
// local repository .ci/rootfs.sh builds: the hello package), removes only
// what gocfg installed, and a name apt does not know fails the plan
// before anything changes.
func TestPackages(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-packages")
	m.UseLocalDebs(t)
	installed := func(t *testing.T) bool {
		t.Helper()
		return m.out(t, "dpkg-query", "-W", "-f", "${db:Status-Status}", "hello") == "installed"
	}

	t.Run("install", func(t *testing.T) {
		out := m.switchTo(t, `environment { system_packages = ["hello"] }`)
		wantContains(t, "the switch", out, "+ packages:install", "hello", "Generation 1 is current.")
		wantEqual(t, "hello", m.out(t, "hello"), "Hello, world!")
		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
	})

	t.Run("remove", func(t *testing.T) {
		out := m.switchTo(t, "")
		wantContains(t, "the switch", out, "- packages:remove", "hello")
		if installed(t) {
			t.Error("hello is still installed")
		}
		if r := m.run(t, "sh", "-c", "command -v hello"); r.code == 0 {
			t.Errorf("hello is still on PATH: %s", r.out)
		}
	})

	// Tester BI: an administrator's apt (or unattended-upgrades) holding
	// the package database's lock failed the switch at once. apt-get
	// waits for it now (DPkg::Lock::Timeout).
	t.Run("waits for another apt", func(t *testing.T) {
		m.MustExec(t, "sh", "-c", `setsid apt-get -q -y -o 'DPkg::Pre-Invoke::=sleep 4' install tini </dev/null >/run/other-apt.log 2>&1 &`)
		t.Cleanup(func() {
			m.run(t, "sh", "-c", "while pgrep -x apt-get >/dev/null; do sleep 0.2; done; apt-get remove -y -q tini")
		})
		m.MustExec(t, "sh", "-c", "for i in $(seq 100); do pgrep -x sleep >/dev/null && exit 0; sleep 0.1; done; cat /run/other-apt.log; exit 1")
		out := m.switchTo(t, `environment { system_packages = ["hello"] }`)
		wantContains(t, "the switch", out, "+ packages:install", "Generation ")
		if !installed(t) {
			t.Error("hello is not installed")
		}
		wantContains(t, "the other apt", m.out(t, "dpkg-query", "-W", "-f", "${db:Status-Status}", "tini"), "installed")
		m.switchTo(t, "")
	})

	t.Run("installed by hand: never removed", func(t *testing.T) {
		m.MustExec(t, "apt-get", "install", "-y", "-q", "hello")
		m.switchTo(t, `environment { system_packages = ["hello"] }`)
		out := m.switchTo(t, "")
		if strings.Contains(out, "packages:remove") {
			t.Errorf("the switch removes a package installed by hand:\n%s", out)
		}
		if !installed(t) {
			t.Error("hello, installed by hand, was removed")
		}
		m.MustExec(t, "apt-get", "remove", "-y", "-q", "hello")
	})

	// Tester T: a status between a switch killed after its removal and
	// the next switch said "removed by hand" of what the switch removed.
	t.Run("killed after its removal: status names the switch", func(t *testing.T) {
		m.switchTo(t, `environment { system_packages = ["hello"] }`)
		m.config(t, "")
		m.killedSwitch(t, "applied", cfgDir)
		if installed(t) {
			t.Fatal("hello is installed after the killed switch that removes it")
		}
		out := m.gocfg(t, nil, "status").out
		wantContains(t, "gocfg status", out, "+ packages:install", "changed by the interrupted switch to generation")
		if strings.Contains(out, "removed by hand") {
			t.Errorf("status blames a hand for the switch's removal:\n%s", out)
		}
		out = m.switchTo(t, `environment { system_packages = ["hello"] }`)
		wantContains(t, "the next switch", out, "was undone")
		if !installed(t) {
			t.Error("hello is not back after the undo")
		}
		wantContains(t, "gocfg status", m.mustGocfg(t, "status"), "No drift")
		m.switchTo(t, "")
	})

	// zsh depends on zsh-common, which apt installs with it.
	status := func(t *testing.T, pkg string) string {
		t.Helper()
		return m.out(t, "sh", "-c", "dpkg-query -W -f '${db:Status-Status}' "+pkg+" 2>/dev/null || true")
	}
	// home.<user>.packages (home-manager's home.packages): the machine's
	// packages, installed and removed as system_packages are.
	t.Run("a user's packages", func(t *testing.T) {
		out := m.switchTo(t, `users "hana" {}
home "hana" { packages = ["hello"] }
`)
		wantContains(t, "the switch", out, "+ packages:install", "hello")
		wantEqual(t, "hello as hana", m.out(t, "runuser", "-u", "hana", "--", "hello"), "Hello, world!")
		out = m.switchTo(t, `users "hana" {}
`)
		wantContains(t, "the switch", out, "- packages:remove", "hello")
		if installed(t) {
			t.Error("hello, hana's package no longer wanted, is still installed")
		}
		m.switchTo(t, "")
	})

	t.Run("removing a package removes the dependencies it brought", func(t *testing.T) {
		m.switchTo(t, `environment { system_packages = ["zsh"] }`)
		wantEqual(t, "zsh-common", status(t, "zsh-common"), "installed")
		out := m.switchTo(t, "")
		wantContains(t, "the switch", out, "- packages:remove", "zsh; with 1 dependencies no longer needed: zsh-common")
		if s := status(t, "zsh-common"); s == "installed" {
			t.Errorf("zsh-common, brought by zsh, is still installed")
		}
	})

	t.Run("a package that needs one gocfg installed keeps it", func(t *testing.T) {
		m.switchTo(t, `environment { system_packages = ["zsh-common"] }`)
		m.MustExec(t, "apt-get", "install", "-y", "-q", "zsh")
		out := m.switchTo(t, "")
		wantContains(t, "the switch", out, "zsh-common is needed by zsh, which removing it would remove too: left installed")
		if strings.Contains(out, "packages:remove") {
			t.Errorf("the switch removes zsh-common:\n%s", out)
		}
		wantEqual(t, "zsh", status(t, "zsh"), "installed")
		wantEqual(t, "zsh-common", status(t, "zsh-common"), "installed")
		m.MustExec(t, "apt-get", "remove", "-y", "-q", "zsh", "zsh-common")
	})

	t.Run("unknown package fails the plan", func(t *testing.T) {
		all, cur := m.generations(t)
		r := m.trySwitch(t, `environment { system_packages = ["hello", "no-such-package-e2e"] }`)
		if r.code != 1 {
			t.Fatalf("switch with an unknown package: %v", r)
		}
		wantContains(t, "the error", r.out, "gocfg: error:", "E: Unable to locate package no-such-package-e2e", "nothing was changed")
		if strings.Contains(r.out, "gocfg will make these changes") {
			t.Errorf("a plan was shown:\n%s", r.out)
		}
		m.wantGenerations(t, all, cur)
		if installed(t) {
			t.Error("hello was installed by the failed switch")
		}
		if m.exists(t, "/var/lib/gocfg/journal.json") {
			t.Error("a journal is left")
		}
	})

	// What a package provides (a login shell, a group) can be used by the
	// users of the same switch: on a fresh machine, one switch installs
	// zsh and docker.io and gives alice zsh and the docker group, as the
	// linux-workstation example does.
	t.Run("users need what packages provide", func(t *testing.T) {
		addShellPackage(t, m)
		out := m.switchTo(t, `environment { system_packages = ["e2e-shell"] }
users "erin" {
  shell  = "/usr/bin/e2esh"
  groups = ["e2e-group"]
}
`)
		wantContains(t, "the switch", out, "+ packages:install", "+ user:erin")
		wantContains(t, "getent passwd erin", m.out(t, "getent", "passwd", "erin"), ":/usr/bin/e2esh")
		wantContains(t, "id erin", m.out(t, "id", "erin"), "(e2e-group)")
	})

	// Tester W: Debian's sudo refuses to be removed while root has no
	// password. The undo of a switch that installed it failed on that,
	// and every command after it too, the journal waiting. The undo now
	// passes over the guard (the machine had no sudo before the switch);
	// a switch that drops sudo leaves it installed, and forgets it.
	t.Run("sudo: undone though root has no password", func(t *testing.T) {
		m.MustExec(t, "passwd", "-l", "root")
		sudo := func() string { return status(t, "sudo") }
		m.config(t, `environment { system_packages = ["sudo"] }`)
		m.killedSwitch(t, "applied", cfgDir)
		wantEqual(t, "sudo after the killed switch", sudo(), "installed")
		out := m.switchTo(t, "")
		wantContains(t, "the next switch", out, "was undone")
		if s := sudo(); s == "installed" {
			t.Errorf("sudo is still installed after the undo")
		}
		if m.exists(t, "/var/lib/gocfg/journal.json") {
			t.Error("a journal is left")
		}

		m.switchTo(t, `environment { system_packages = ["sudo"] }`)
		out = m.switchTo(t, "")
		wantContains(t, "the switch that drops sudo", out, "sudo: left installed, and no longer managed by gocfg: Debian's sudo refuses to be removed while root has no password")
		wantEqual(t, "sudo after the switch that drops it", sudo(), "installed")
		wantContains(t, "the switch after", m.mustGocfg(t, "switch", "-c", cfgDir), noChanges)
	})
}

// addShellPackage builds the package e2e-shell inside m, whose postinst
// registers the login shell /usr/bin/e2esh and creates the group
// e2e-group, as zsh and docker.io do, and adds it to apt's sources.
func addShellPackage(t *testing.T, m *machine) {
	t.Helper()
	m.MustExec(t, "sh", "-euc", `
d=/srv/e2e-debs; p=$(mktemp -d)
mkdir -p "$d" "$p/DEBIAN" "$p/usr/bin"
ln -s /bin/bash "$p/usr/bin/e2esh"
cat >"$p/DEBIAN/control" <<EOF
Package: e2e-shell
Version: 1.0
Architecture: all
Maintainer: gocfg e2e <e2e@example.org>
Description: a login shell and a group for gocfg's end-to-end tests
EOF
cat >"$p/DEBIAN/postinst" <<'EOF'
#!/bin/sh
set -e
add-shell /usr/bin/e2esh
getent group e2e-group >/dev/null || groupadd --system e2e-group
EOF
chmod 0755 "$p/DEBIAN/postinst"
dpkg-deb --root-owner-group --build "$p" "$d/e2e-shell_1.0_all.deb" >/dev/null
cd "$d"
{ dpkg-deb -f e2e-shell_1.0_all.deb
  echo "Filename: ./e2e-shell_1.0_all.deb"
  echo "Size: $(stat -c %s e2e-shell_1.0_all.deb)"
  echo "SHA256: $(sha256sum e2e-shell_1.0_all.deb | cut -d' ' -f1)"
  echo; } >Packages
echo "deb [trusted=yes] file:$d ./" >/etc/apt/sources.list.d/e2e.list
apt-get update -q >/dev/null
`)
}
