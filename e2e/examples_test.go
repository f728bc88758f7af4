package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// overlayDir is where the overlays of testdata/examples go inside; they
// import the examples, bound read-only at /srv/examples.
const overlayDir = "/root/overlay"

// bootExample boots a fresh machine with the repository's examples bound
// at /srv/examples and the overlays of testdata/examples in overlayDir.
func bootExample(t *testing.T, name string) *machine {
	t.Helper()
	examples, err := filepath.Abs(filepath.Join("..", "examples"))
	if err != nil {
		t.Fatal(err)
	}
	m := boot(t, name, examples+":/srv/examples")
	overlays, err := filepath.Glob(filepath.Join("testdata", "examples", "*.hcl"))
	if err != nil || len(overlays) == 0 {
		t.Fatalf("no overlays in testdata/examples: %v", err)
	}
	for _, o := range overlays {
		m.CopyIn(t, o, overlayDir+"/"+filepath.Base(o))
	}
	return m
}

// switchExample switches m to an overlay for host (extra flags added),
// which must succeed, then switches again, which must find nothing to do
// and record no generation. It returns the first switch's output.
func switchExample(t *testing.T, m *machine, overlay, host string, extra ...string) string {
	t.Helper()
	args := []string{"switch", "--config", overlayDir + "/" + overlay, "--host", host}
	all, _ := m.generations(t)
	want := len(all) + 1
	first := m.mustGocfg(t, append(args, extra...)...)
	t.Logf("first switch:\n%s", first)
	wantContains(t, "the first switch", first, "Generation "+strconv.Itoa(want)+" is current.")
	out := m.mustGocfg(t, args...)
	wantContains(t, "the second switch", out, noChanges)
	all, cur := m.generations(t)
	if len(all) != want || cur != want {
		t.Errorf("after the second switch: generations %v, current %d; want %d of them", all, cur, want)
	}
	wantContains(t, "gocfg status", m.mustGocfg(t, "status"), "No drift")
	return first
}

// TestExamples switches the bundled examples on fresh machines: each must
// apply cleanly, and a second switch must have nothing to do. The
// overlays in testdata/examples say what they change (packages the
// container cannot install, and what those would bring).
func TestExamples(t *testing.T) {
	t.Parallel()

	t.Run("atlas", func(t *testing.T) {
		t.Parallel()
		m := bootExample(t, "e2e-atlas")
		switchExample(t, m, "atlas.hcl", "atlas")

		wantEqual(t, "hostname", m.out(t, "hostname"), "atlas")
		wantEqual(t, "getent passwd alice", m.out(t, "getent", "passwd", "alice"), "alice:x:1000:1000:Alice Liddell:/home/alice:/bin/bash")
		wantContains(t, "id alice", m.out(t, "id", "alice"), "(sudo)", "(audio)", "(video)", "(plugdev)", "(docker)", "2000(media)")
		zshrc, err := os.ReadFile(filepath.Join("..", "examples", "linux-workstation", "dotfiles", "zshrc"))
		if err != nil {
			t.Fatal(err)
		}
		wantEqual(t, "~alice/.zshrc", m.read(t, "/home/alice/.zshrc"), string(zshrc))
		wantContains(t, "~alice/.config/git/config", m.read(t, "/home/alice/.config/git/config"), "email = alice@corp.example", "editor = nvim")
		if !m.exists(t, "/home/alice/.config/nvim/init.lua") {
			t.Error("~alice/.config/nvim/init.lua is missing")
		}
		wantEqual(t, "/etc/sysctl.d/60-inotify.conf", m.read(t, "/etc/sysctl.d/60-inotify.conf"), "fs.inotify.max_user_watches = 524288\n")

		// Now that alice exists her manager can run, and the example's
		// user service is switched on.
		m.MustExec(t, "loginctl", "enable-linger", "alice")
		m.waitUserManager(t, "alice")
		switchExample(t, m, "atlas-services.hcl", "atlas")
		wantEqual(t, "syncthing is-active", m.out(t, "systemctl", "--user", "-M", "alice@", "is-active", "syncthing"), "active")
		wantEqual(t, "syncthing's Description", m.userShow(t, "alice", "syncthing", "Description"), "Syncthing for Alice Liddell")
	})

	// web1 and web2 manage /etc/motd, which every Debian has: the first
	// switch moves it aside with --backup-ext, as the error says to.
	t.Run("web1", func(t *testing.T) {
		t.Parallel()
		m := bootExample(t, "e2e-web1")
		switchExample(t, m, "web1.hcl", "web1", "--backup-ext", ".orig")

		wantEqual(t, "hostname", m.out(t, "hostname"), "web1")
		wantEqual(t, "nginx is-active", m.out(t, "systemctl", "is-active", "nginx"), "active")
		wantEqual(t, "nginx is-enabled", m.out(t, "systemctl", "is-enabled", "nginx"), "enabled")
		wantEqual(t, "nginx's Description", m.show(t, "nginx", "Description"), "nginx for www.example.org")
		wantEqual(t, "backup.timer is-active", m.out(t, "systemctl", "is-active", "backup.timer"), "active")
		// Only the timer starts the backup (and restic is not installed).
		wantEqual(t, "backup.service is-active", m.out(t, "systemctl", "is-active", "backup.service"), "inactive")
		wantContains(t, "/etc/nginx/nginx.conf", m.read(t, "/etc/nginx/nginx.conf"), "worker_processes 4;", "server_name www.example.org;")
		wantEqual(t, "/etc/motd", m.read(t, "/etc/motd"), "web1: managed by gocfg, changes made by hand are undone.\n")
		if !m.exists(t, "/etc/motd.orig") {
			t.Error("Debian's /etc/motd was not kept as /etc/motd.orig")
		}
		wantEqual(t, "getent passwd deploy", m.out(t, "getent", "passwd", "deploy"), "deploy:x:1100:1100:Deploys the site:/var/lib/deploy:/bin/bash")
		wantContains(t, "id deploy", m.out(t, "id", "deploy"), "(www-data)", "900(ssh-users)")
		wantContains(t, "id bob", m.out(t, "id", "bob"), "uid=1001(bob)", "(sudo)", "(adm)", "900(ssh-users)")
		wantContains(t, "the configuration nginx read", m.read(t, "/run/nginx-standin.conf"), "worker_processes 4;")

		// Only nginx.conf changes: nginx is reloaded (its reload
		// triggers), keeps its main process and reads the new file.
		pid := m.show(t, "nginx", "MainPID")
		out := switchExample(t, m, "web1-workers.hcl", "web1")
		wantContains(t, "the plan's line for nginx.conf", planLine(out, "file:/etc/nginx/nginx.conf"), "~ file:/etc/nginx/nginx.conf")
		if l := planLine(out, "unit:system:nginx.service"); !strings.HasPrefix(l, "~ ") || !strings.HasSuffix(l, "unit file changed; reload") {
			t.Errorf("the plan's line for nginx is %q, want it reloaded", l)
		}
		wantContains(t, "the switch", out, "Plan: 0 to add, 2 to change, 0 to remove.")
		wantEqual(t, "nginx MainPID", m.show(t, "nginx", "MainPID"), pid)
		wantEqual(t, "nginx is-active", m.out(t, "systemctl", "is-active", "nginx"), "active")
		m.waitFileContains(t, "/run/nginx-standin.conf", "worker_processes 8;")
	})

	t.Run("web2", func(t *testing.T) {
		t.Parallel()
		m := bootExample(t, "e2e-web2")
		switchExample(t, m, "web2.hcl", "web2", "--backup-ext", ".orig")

		wantEqual(t, "hostname", m.out(t, "hostname"), "web2")
		wantEqual(t, "nginx is-active", m.out(t, "systemctl", "is-active", "nginx"), "active")
		wantContains(t, "/etc/nginx/nginx.conf", m.read(t, "/etc/nginx/nginx.conf"), "worker_processes 2;", "server_name staging.example.org;")
		wantEqual(t, "getent passwd deploy", m.out(t, "getent", "passwd", "deploy"), "deploy:x:1100:1100:Deploys the site:/var/lib/deploy:/usr/sbin/nologin")
		if m.exists(t, "/etc/systemd/system/backup.timer") {
			t.Error("web2 has the backup timer")
		}
	})

	// ember: the nixos-workstation example, a NixOS user's
	// configuration.nix as options, with no /etc file or unit of its own.
	// The machine first gets what a Debian install has and the modules
	// need before the switch: locales (for i18n) and sudo (visudo checks
	// security.sudo when the plan is made).
	t.Run("ember", func(t *testing.T) {
		t.Parallel()
		m := bootExample(t, "e2e-ember")
		m.UseLocalDebs(t)
		m.MustExec(t, "apt-get", "install", "-y", "-q", "locales", "sudo")
		switchExample(t, m, "ember.hcl", "ember")

		wantEqual(t, "hostname", m.out(t, "hostname"), "ember")
		wantEqual(t, "timedatectl's zone", m.out(t, "timedatectl", "show", "-p", "Timezone", "--value"), "Europe/Berlin")
		wantEqual(t, "/etc/timezone", m.read(t, "/etc/timezone"), "Europe/Berlin\n")

		// Locales compiled; a login reads /etc/default/locale.
		wantContains(t, "locale -a", m.out(t, "locale", "-a"), "en_US.utf8", "de_DE.utf8")
		wantContains(t, "alice's login locale", m.out(t, "su", "-", "alice", "-c", "locale"),
			"LANG=en_US.UTF-8", "LC_TIME=de_DE.UTF-8", "LC_PAPER=de_DE.UTF-8", "LC_ADDRESS=de_DE.UTF-8")
		wantContains(t, "/etc/default/keyboard", m.read(t, "/etc/default/keyboard"), "\nXKBLAYOUT=\"de\"\nXKBVARIANT=\"\"\n")

		// alice: an administrator (group sudo, no password asked) with zsh,
		// her aliases and her key.
		wantContains(t, "getent passwd alice", m.out(t, "getent", "passwd", "alice"), ":Alice Liddell:/home/alice:/bin/zsh")
		wantContains(t, "id alice", m.out(t, "id", "alice"), "(sudo)")
		wantContains(t, "sudo -l -U alice", m.out(t, "sudo", "-l", "-U", "alice"), "(ALL : ALL) NOPASSWD: ALL")
		wantContains(t, "/etc/shells", m.read(t, "/etc/shells"), "\n/bin/zsh\n")
		wantContains(t, "alice's zsh aliases", m.MustExecAs(t, "alice", "zsh", "-i", "-c", "alias"), "ll='ls -l'")
		wantContains(t, "~alice/.ssh/authorized_keys", m.read(t, "/home/alice/.ssh/authorized_keys"), " alice@framework\n")
		wantEqual(t, "~alice/.ssh/authorized_keys's mode", m.out(t, "stat", "-L", "-c", "%a %U", "/home/alice/.ssh/authorized_keys"), "600 alice")

		// sshd runs with the settings; the firewall has its ports and
		// sshd's.
		wantEqual(t, "ssh.service", m.out(t, "systemctl", "is-active", "ssh.service")+" "+m.out(t, "systemctl", "is-enabled", "ssh.service"), "active enabled")
		wantContains(t, "sshd -T", "\n"+m.out(t, "/usr/sbin/sshd", "-T")+"\n", "\npasswordauthentication no\n", "\npermitrootlogin no\n", "\nport 22\n")
		wantContains(t, "nft list table inet gocfg", m.out(t, "nft", "list", "table", "inet", "gocfg"),
			"policy drop;", "tcp dport { 22, 22000 } accept", "udp dport { 21027, 22000 } accept") // nft lists a set sorted
		wantEqual(t, "gocfg-firewall.service", m.out(t, "systemctl", "is-enabled", "gocfg-firewall.service"), "enabled")
		wantEqual(t, "NetworkManager.service", m.out(t, "systemctl", "is-active", "NetworkManager.service")+" "+m.out(t, "systemctl", "is-enabled", "NetworkManager.service"), "active enabled")

		wantEqual(t, "net.ipv4.ip_forward", m.out(t, "sysctl", "-n", "net.ipv4.ip_forward"), "1")
		wantEqual(t, "net.ipv6.conf.all.forwarding", m.out(t, "sysctl", "-n", "net.ipv6.conf.all.forwarding"), "1")
		wantEqual(t, "hello (the overlay's package)", m.out(t, "hello"), "Hello, world!")
	})
}

// waitFileContains waits until the file at path inside holds want (a
// service writes it after a signal, a moment after the job that sent it).
func (m *machine) waitFileContains(t testing.TB, path, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, err := m.ReadFile(t, path)
		if err == nil && strings.Contains(string(b), want) {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("%s does not say %q after 5 s:\n%s (%v)", path, want, b, err)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}
