// Package systemdtest gives tests a real systemd user manager, started
// for the test and gone after it, on a machine whose PID 1 need not be
// systemd (testing.md §1).
//
// Place in the project: test-only. A package whose tests need a manager
// makes Main its TestMain, and each such test starts its own:
//
//	func TestMain(m *testing.M) { systemdtest.Main(m) }
//
//	func TestSomething(t *testing.T) {
//		m := systemdtest.StartUserManager(t) // a manager running as root
//		m.WriteUnit(t, "x.service", "[Service]\nExecStart=/bin/sleep 60\n")
//		// connect to m.PrivateSocket() (or m.BusAddress()), or run
//		// m.Systemctl("start", "x.service")
//	}
//
// StartUserManagerAs starts one running as another uid (for root talking
// to a user's manager, as `gocfg switch` does for home.<user>.systemd).
//
// What it needs: Linux, root (namespaces and cgroups), and the Debian
// packages systemd (/lib/systemd/systemd) and dbus-user-session (the
// user bus socket unit, so that <RuntimeDir>/bus exists), plus unshare
// and setpriv from util-linux and /bin/sh, which every Debian has.
// Without them Main runs the tests as usual and StartUserManager skips
// the test, saying what is missing; with GOCFG_SYSTEMDTEST_REQUIRE=1 it
// fails instead, so CI cannot skip these tests silently.
//
// How it works (each step is a trap someone hit):
//
//   - Main re-executes the test binary inside private mount and PID
//     namespaces: `unshare --mount --propagation private --pid --fork
//     --mount-proc --kill-child`, with /bin/sh as the namespace's PID 1
//     (it reaps orphans; the test binary is its child). The test process
//     must share the manager's PID namespace: a manager refuses
//     connections on its private socket from a peer whose PID it cannot
//     see (SO_PEERCRED reports PID 0 from outside, and sd-bus rejects
//     the credentials).
//   - Inside, Main mounts a tmpfs on /run/systemd and makes
//     /run/systemd/system: systemd refuses to run a user instance unless
//     that folder exists, and nothing is left on the host.
//   - Each manager gets its own cgroup (gocfg-systemdtest-PID-N) in the
//     v2 hierarchy and in systemd's named v1 hierarchy (hybrid hosts),
//     below the test process's own, owned by its uid: a non-root manager
//     exits at once without one, and a root one would otherwise create
//     its slices in the host's root cgroup.
//   - The manager runs with a clean environment: HOME, XDG_RUNTIME_DIR
//     (a fresh 0700 folder) and DBUS_SESSION_BUS_ADDRESS in a temporary
//     folder, so that its unit files (HOME/.config/systemd/user) never
//     touch the real /root; SYSTEMD_LOG_TARGET=console sends its log to
//     a file (Manager.Log) rather than the host's kernel log.
//   - A manager runs as root, or as any uid (StartUserManagerAs): root
//     reaches another uid's manager through its private socket, which
//     systemd (252) accepts from uid 0 and from its own uid.
//   - It is ready when its private socket answers and its SystemState is
//     "running" (or "degraded"): about a third of a second.
//   - The test's cleanup sends SIGTERM (a user manager then stops its
//     units and exits), kills what is left in its cgroups, removes them,
//     and removes the temporary folder. Whatever survives a crash of the
//     test binary dies with the PID namespace: the test binary kills
//     unshare when it dies (Pdeathsig), and unshare kills the namespace's
//     PID 1 (--kill-child).
package systemdtest
