// Package nspawntest boots a real Debian 12 systemd in a throwaway
// systemd-nspawn container, for tests that need a live machine: the
// hostname, users and groups, system units, `loginctl enable-linger`
// user managers and apt (testing.md §2).
//
// Place in the project: test-only. Tests in other packages call [Boot],
// run commands inside with [Container.Exec] (and ExecAs, WriteFile,
// CopyIn, ReadFile), and run the gocfg binary built by [BuildGocfg] and
// bound into the container at /usr/local/bin/gocfg:
//
//	c := nspawntest.Boot(t, nspawntest.Options{Gocfg: nspawntest.BuildGocfg(t)})
//	c.UseLocalDebs(t) // apt sees only the local repository
//	out := c.MustExec(t, "gocfg", "switch", "--config", "/etc/gocfg")
//
// What it needs, once per machine (.ci/run does both):
//
//   - root, and the commands systemd-nspawn (package systemd-container),
//     unshare and nsenter (util-linux): apt-get install -y
//     --no-install-recommends debootstrap systemd-container;
//   - the root file system and the local apt repository that
//     .ci/rootfs.sh builds (40 to 70 s, 110 MB) into
//     /var/cache/gocfg-test/rootfs and /var/cache/gocfg-test/debs
//     (GOCFG_TEST_ROOTFS, GOCFG_TEST_DEBS move them).
//
// Without them Boot (and [Require], to call before expensive
// preparations) skips the test and says what is missing; with
// GOCFG_NSPAWNTEST_REQUIRE=1 (set by .ci/run) it fails instead, so CI
// cannot skip these tests silently.
//
// How a container runs (each step is a trap someone hit):
//
//   - `unshare --mount --propagation private --pid --mount-proc
//     --kill-child=SIGTERM` wraps systemd-nspawn: the tmpfs it mounts on /run/systemd (so nspawn
//     does not think the host runs systemd) stays private, and every
//     process of the container dies with that PID namespace. The test
//     process kills unshare if it dies itself (Pdeathsig), and unshare
//     then asks nspawn to halt the container.
//   - The container gets its own cgroup (gocfg-nspawntest-PID-N in each
//     hierarchy among /sys/fs/cgroup/{systemd,unified,} that is a cgroup
//     file system), removed deepest first after it stops. Without it
//     two containers would share nspawn's payload cgroups. Cgroups of
//     test processes that were killed before their cleanup ran are swept
//     by the next Boot.
//   - systemd-nspawn runs with --ephemeral (a copy of the root file system
//     next to it, removed when nspawn exits: tests never change the
//     cache), --private-network (no network at all), --register=no
//     --keep-unit (the host has no machined), --console=passive (the
//     console goes to a log file that is printed when the test fails).
//   - The container's systemd is found as the descendant of unshare that
//     is PID 1 of its own PID namespace, runs systemd, and whose root holds
//     the marker file /.gocfg-test-rootfs.
//   - Commands run through `nsenter -t PID1 -a -r -w` with a clean
//     environment. The -r matters: without it a command runs in the
//     host's / and `useradd` changes the host.
//   - unshare's --mount-proc is not optional: nspawn, PID 1 of the new PID
//     namespace, opens /proc/<its own PID>/ns/net when the container
//     exits, and with the host's /proc that is some other process (exit
//     status 1, "Failed to open parent network namespace").
//   - Stop (and the test's cleanup) sends SIGTERM to systemd-nspawn, which
//     halts the container cleanly.
//
// Boot takes about two seconds (1.5 for the ephemeral copy of the root
// file system, well under one for systemd to reach "running"), Stop a
// quarter of a second; containers may be booted one after another, or at
// once, in one test binary.
package nspawntest
