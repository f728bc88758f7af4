// Package e2e runs the real gocfg binary on real machines: each test boots
// a throwaway Debian 12 with systemd as PID 1 (internal/nspawntest), binds
// the gocfg built from this checkout into it, writes a configuration inside
// and runs `gocfg switch`, `rollback`, `status` and `generations` there as
// root, without --root: the container is the machine. What the tests then
// look at is what an administrator would: systemctl, hostnamectl, getent,
// id, dpkg-query, the files under /etc and in homes.
//
// Place in the project: test-only, the last step of the pipeline seen from
// outside (DESIGN.md §1): evaluation, plan, apply and generations together,
// against systemd (system and user managers over D-Bus), hostnamed, the
// shadow tools and apt.
//
// The scenarios:
//
//   - services_test.go: system services started, enabled, restarted when
//     their unit changes, reloaded with reload_if_changed, stopped and
//     removed, a unit that cannot start undone;
//   - hostname_test.go: networking.host_name set, rolled back, and the
//     original name put back when the option goes;
//   - users_test.go: users and groups created, changed, deleted only when
//     gocfg created them;
//   - packages_test.go: apt packages from the local repository of
//     .ci/rootfs.sh, removed only when gocfg installed them, an unknown
//     name refused by the plan;
//   - user_services_test.go: a user's own services through that user's
//     manager (loginctl enable-linger);
//   - files_test.go: dotfiles and /etc files, and a rollback;
//   - examples_test.go: the bundled examples switched on a fresh machine,
//     then switched again with nothing to do; the overlays in
//     testdata/examples import them and replace only what the container
//     cannot have (packages from the network, and what they would bring);
//   - kill_test.go: a switch killed with SIGKILL, finished or undone by the
//     next gocfg command;
//   - privilege_test.go: the privilege boundary (DESIGN.md §7) attacked by
//     an ordinary user while root switches, rolls back, collects and asks
//     for the status: store objects she predicts or replaces, a copy or a
//     parent folder swapped for a link after the plan, temporary store
//     folders swapped by an inotify watcher, planted links and /dev/zero,
//     a home linked to /etc, a --backup-ext leaving the folder, and
//     bounded real renameat2 races (attack_test.go and internal/attacker
//     are its helpers); root-owned victims under /etc must stay untouched;
//   - triggers_test.go: restart_triggers and reload_triggers against the
//     real system manager; a reloaded service reads the new content of a
//     linked /etc file (unit jobs run once the new generation is current);
//   - newuser_test.go: a user and their dotfiles made in one switch
//     (/etc/skel's copy of a managed file replaced, its other files kept),
//     and a failed or killed switch leaving nothing of the user behind;
//   - private_test.go: as nobody, no private /etc file, home copy, stored
//     content or file in a gocfg-made ~/.ssh can be read;
//   - bench_test.go: the time of a no-op switch with 50 system services and
//     of one that restarts one of them;
//   - init_test.go: init --apply from a bare repository on a machine with
//     no gocfg state and no git (the bootstrap transcript with -v), and init
//     describing a machine as it is;
//   - unit_state_test.go: systemd.units enabling and starting units a
//     package ships, and their earlier state put back;
//   - options_*_test.go: the option library's modules (issue 14), each
//     switched on (its package installed from the local repository in the
//     same switch, its files, units and effects checked with the
//     program's own tools), switched again with nothing to do, and removed
//     with the machine as before: ssh (with the firewall), etc (time zone,
//     sudo, sysctl, tmpfiles), locale, console, docker, networkmanager,
//     web (nginx) and home (admin, git, session variables);
//   - fleet_test.go: the SSH fleet (internal/fleettest) that the deploy
//     tests stand on: hosts in their own network namespaces, reached with
//     the OpenSSH client from a control namespace.
//
// Every test boots its own container (about two seconds) and runs in
// parallel with the others; the related steps of a scenario share one.
// The package takes about 20 seconds.
// The tests skip when containers cannot be booted here (not root, no
// systemd-nspawn or no root file system: nspawntest says how to get them)
// and fail instead with GOCFG_NSPAWNTEST_REQUIRE=1, as .ci/run sets.
//
// A test that finds gocfg doing the wrong thing keeps asserting the right
// behaviour and runs through internal/bugtest.Known: skipped with a
// "BUG: ..." line while it fails, failing with "bug fixed: remove the
// skip" as soon as it passes.
package e2e
