package e2e

import (
	"strconv"
	"strings"
	"testing"
)

// TestOptionsKernelModules: in one booted Debian container,
// boot.kernel_modules writes /etc/modules-load.d/gocfg.conf, and
// boot.blacklisted_kernel_modules with boot.extra_modprobe_config
// /etc/modprobe.d/gocfg.conf, both copies. No module can be loaded in a
// container: systemd-nspawn drops CAP_SYS_MODULE from the bounding set
// of its init (checked first), so systemd-modules-load.service is
// skipped there by its ConditionCapability, and modprobe fails (checked
// too: the test image has no kmod, so it is not even there). The switch succeeds all the same: the modules-load.d file's
// on_change, which elsewhere loads the modules with modprobe -b, sees
// that the container's init lacks the capability and does nothing (no
// hook failure in the output; an empty /lib/modules/`uname -r` is made
// first, so that the missing capability alone is what the hook goes
// by), and restarting systemd-modules-load.service, as a boot starts it,
// is skipped without failing. A second switch changes nothing; the
// options removed delete both files, and the folders are as they were
// before gocfg.
func TestOptionsKernelModules(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-options-kernel-modules")
	const loadConf = "/etc/modules-load.d/gocfg.conf"
	const probeConf = "/etc/modprobe.d/gocfg.conf"
	const cfg = `boot {
  kernel_modules             = ["wireguard", "br_netfilter"]
  blacklisted_kernel_modules = ["pcspkr"]
  extra_modprobe_config      = "options kvm_intel nested=1"
}
`
	const wantLoad = "# Written by gocfg (boot.kernel_modules); replaced by every switch.\nwireguard\nbr_netfilter\n"
	const wantProbe = "# Written by gocfg (boot.blacklisted_kernel_modules, boot.extra_modprobe_config); replaced by every switch.\nblacklist pcspkr\noptions kvm_intel nested=1\n"

	// The premise: no CAP_SYS_MODULE (capability 16) in the bounding set
	// of the container's init, which ConditionCapability tests and the
	// hook too. (gocfg itself, run here from the host with nsenter, may
	// keep the host's set: the hook looks at PID 1's.)
	bnd := m.out(t, "sed", "-n", `s/^CapBnd:[[:space:]]*//p`, "/proc/1/status")
	caps, err := strconv.ParseUint(bnd, 16, 64)
	if err != nil {
		t.Fatalf("CapBnd in /proc/1/status: %q: %v", bnd, err)
	}
	if caps&(1<<16) != 0 {
		t.Fatalf("the bounding set of the container's init, %s, has CAP_SYS_MODULE: this test checks a switch where modules cannot be loaded", bnd)
	}
	t.Logf("the bounding set of the container's init is %s, of a command run in it %s", bnd,
		m.out(t, "sed", "-n", `s/^CapBnd:[[:space:]]*//p`, "/proc/self/status"))
	// The container has no modules of the host's kernel, which the hook
	// also takes as nothing to load: a folder for them (empty), so that
	// the capability alone decides. modprobe cannot load a module there
	// (the test image has no kmod at all: then a hook that went on to
	// modprobe would fail with "not found", which the test would see).
	m.MustExec(t, "sh", "-c", `mkdir -p "/lib/modules/$(uname -r)"`)
	if r := m.run(t, "sh", "-c", "modprobe -b wireguard 2>&1"); r.code == 0 {
		t.Fatalf("modprobe -b wireguard succeeds in the container: %v", r)
	} else {
		t.Logf("modprobe -b wireguard in the container: %v", r)
	}
	folders := func(t *testing.T) string {
		t.Helper()
		return m.out(t, "sh", "-c", "for d in /etc/modules-load.d /etc/modprobe.d; do if [ -d $d ]; then echo $d; ls -A $d; fi; done")
	}
	foldersBefore := folders(t)
	for _, p := range []string{loadConf, probeConf} {
		if m.exists(t, p) {
			t.Fatalf("the container has %s before the switch", p)
		}
	}
	// modulesLoad restarts systemd-modules-load.service, as a boot starts
	// it, which must succeed, and returns whether its condition held.
	modulesLoad := func(t *testing.T) string {
		t.Helper()
		if r := m.run(t, "systemctl", "restart", "systemd-modules-load.service"); r.code != 0 {
			t.Errorf("systemctl restart systemd-modules-load.service: %v", r)
		}
		if s := m.out(t, "systemctl", "is-failed", "systemd-modules-load.service"); s == "failed" {
			t.Errorf("systemd-modules-load.service failed:\n%s", m.out(t, "systemctl", "status", "systemd-modules-load.service"))
		}
		return m.show(t, "systemd-modules-load.service", "ConditionResult")
	}

	t.Run("switched on", func(t *testing.T) {
		out := m.switchTo(t, cfg)
		wantContains(t, "the switch", out, "file:"+loadConf, "file:"+probeConf)
		if strings.Contains(out, "on_change") {
			t.Errorf("an on_change hook failed:\n%s", out)
		}
		wantEqual(t, loadConf, m.read(t, loadConf), wantLoad)
		wantEqual(t, probeConf, m.read(t, probeConf), wantProbe)
		for _, p := range []string{loadConf, probeConf} {
			if m.run(t, "test", "-L", p).code == 0 {
				t.Errorf("%s is a link, not a copy", p)
			}
		}
		wantEqual(t, "systemd-modules-load.service's ConditionResult", modulesLoad(t), "no")

		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
	})

	t.Run("options removed: the files gone", func(t *testing.T) {
		out := m.switchTo(t, "")
		wantContains(t, "the switch", out, "file:"+loadConf, "file:"+probeConf)
		if strings.Contains(out, "on_change") {
			t.Errorf("an on_change hook failed:\n%s", out)
		}
		for _, p := range []string{loadConf, probeConf} {
			if m.exists(t, p) {
				t.Errorf("%s is still there", p)
			}
		}
		wantEqual(t, "/etc/modules-load.d and /etc/modprobe.d", folders(t), foldersBefore)

		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
	})
}
