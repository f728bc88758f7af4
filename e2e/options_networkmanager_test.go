package e2e

import (
	"strings"
	"testing"
)

// TestOptionsNetworkManager: in one booted Debian container without
// NetworkManager, networking.networkmanager.enable installs network-manager
// from the local repository and enables and starts NetworkManager.service
// (a unit of a package of the same switch), which runs and answers nmcli;
// a second switch changes nothing; the option removed stops and disables
// the unit before the package goes, so the package and every link under
// /etc/systemd/system it made are gone: the folder is as before. A
// rollback from the option switched on again does the same.
func TestOptionsNetworkManager(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-options-nm")
	m.UseLocalDebs(t)
	if m.exists(t, "/usr/sbin/NetworkManager") {
		t.Fatal("the container has NetworkManager before the switch")
	}
	linksBefore := m.unitLinks(t)
	const cfg = "networking {\n  networkmanager {\n    enable = true\n  }\n}\n"

	t.Run("switched on", func(t *testing.T) {
		out := m.switchTo(t, cfg)
		wantContains(t, "the switch", out, "network-manager", "unitstate:NetworkManager.service")
		wantEqual(t, "network-manager", m.out(t, "dpkg-query", "-W", "-f", "${db:Status-Status}", "network-manager"), "installed")
		wantEqual(t, "NetworkManager.service", m.out(t, "systemctl", "is-enabled", "NetworkManager.service")+" "+m.out(t, "systemctl", "is-active", "NetworkManager.service"), "enabled active")
		wantEqual(t, "nmcli general", m.out(t, "nmcli", "-t", "-f", "RUNNING", "general"), "running")
		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
	})

	t.Run("option removed: the machine as before", func(t *testing.T) {
		out := m.switchTo(t, "")
		wantContains(t, "the switch", out, "packages:remove", "network-manager", "unitstate:NetworkManager.service")
		if got := m.run(t, "dpkg-query", "-W", "-f", "${db:Status-Status}", "network-manager").out; got == "installed" {
			t.Error("network-manager is still installed")
		}
		if m.exists(t, "/usr/sbin/NetworkManager") {
			t.Error("/usr/sbin/NetworkManager is still there")
		}
		if r := m.run(t, "systemctl", "is-active", "NetworkManager.service"); strings.TrimSpace(r.out) != "inactive" {
			t.Errorf("systemctl is-active NetworkManager.service: %v", r)
		}
		wantEqual(t, "/etc/systemd/system", m.unitLinks(t), linksBefore)
		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
	})

	// A rollback to the generation without the option does the same as
	// removing it (from the generations' records, not the configuration).
	t.Run("on again, then rolled back", func(t *testing.T) {
		m.switchTo(t, cfg)
		wantEqual(t, "NetworkManager.service", m.out(t, "systemctl", "is-enabled", "NetworkManager.service")+" "+m.out(t, "systemctl", "is-active", "NetworkManager.service"), "enabled active")
		out := m.mustGocfg(t, "rollback")
		wantContains(t, "the rollback", out, "packages:remove", "network-manager", "unitstate:NetworkManager.service")
		if m.exists(t, "/usr/sbin/NetworkManager") {
			t.Error("/usr/sbin/NetworkManager is still there")
		}
		wantEqual(t, "/etc/systemd/system", m.unitLinks(t), linksBefore)
	})
}
