// Package fleettest boots a fleet of SSH targets for the `gocfg deploy`
// tests (issue 15): booted Debian 12 containers (internal/nspawntest)
// running a real sshd, each in its own network namespace on a private
// bridge, reached with the OpenSSH client from a control namespace
// (testing.md §3).
//
// Place in the project: test-only. e2e tests call [New] (or [Start] with
// [Options]), run the client, or gocfg deploy, in the control namespace
// with [Fleet.Control], [Fleet.Run] or [Fleet.SSH], and look inside the
// hosts with [Host.Machine]:
//
//	f := fleettest.New(t, 3) // host1, host2, host3
//	out, err := f.SSH(t, "host1", "hostname")
//	cmd := f.Control(ctx, gocfg, "deploy", "--ssh-config", f.SSHConfig())
//	f.Host("host2").CutNetwork(t)
//
// What a fleet is:
//
//   - Network namespaces gft-PID-N (control) and gft-PID-N-NAME (one per
//     host), named after the test process and the fleet so that
//     fleets of parallel tests do not meet, and stale ones (of a test
//     process that was killed) are deleted by the next Start. The control
//     namespace has a bridge br0 with [ControlAddr] (10.213.0.1/24); each
//     host a veth end eth0 with 10.213.0.10+i, its peer a port of the
//     bridge. Both ends are created inside the namespaces (`ip -n`):
//     nothing is added to the test machine's own network, and no traffic
//     leaves the namespaces.
//   - One container per host (nspawntest, --network-namespace-path), whose
//     machine name is the host's name (its hostname); hosts boot one after
//     another, each set up while the next boots.
//   - In each host, from the local apt repository of .ci/rootfs.sh:
//     openssh-server and sudo. sshd offers only a throwaway ed25519 host
//     key made for the fleet (a drop-in in /etc/ssh/sshd_config.d; PAM
//     and the rest as Debian ships them), root logs in with the fleet's
//     client key, and so does [DeployUser], with passwordless sudo.
//   - On the test machine, in [Fleet.Dir]: the client key, known_hosts
//     with the real host keys under the hosts' names and addresses, and
//     an ssh_config for `ssh -F` (HostName, Port, User, IdentityFile,
//     UserKnownHostsFile, StrictHostKeyChecking yes, BatchMode yes,
//     ConnectTimeout [ConnectTimeout]).
//
// Faults for the deploy tests: [Host.CutNetwork] (its interface down
// inside its namespace; [Host.RestoreNetwork] brings it back) and
// [Host.KillSSHConnections] (the sshd processes of its established
// connections killed, by PID; the listener stays).
//
// The test's cleanup halts the containers (nspawntest), then deletes the
// namespaces (`ip netns del`) and, if the first fleet of the process
// found no /run/netns, unmounts and removes it once it is empty again.
// A container booted elsewhere while a fleet exists keeps a copy of the
// fleet's namespace mounts in its private mount namespace (nspawntest's
// unshare): the namespaces are then freed when that container stops, not
// before, though `ip netns list` no longer shows them.
//
// What it needs, on top of nspawntest's requirements: ip (iproute2), ssh
// and ssh-keygen (openssh-client) on the test machine, and a local apt
// repository with openssh-server (.ci/rootfs.sh builds it; .ci/run
// installs the rest). Without them Start skips the test, or fails it
// with GOCFG_NSPAWNTEST_REQUIRE=1.
//
// Three hosts are up in 13 to 19 seconds on two busy cores (load 10):
// the boots, one after another, take about two seconds each; installing
// openssh-server and sudo takes 8 to 11 seconds per host, in parallel
// with the later boots; halting them, two or three seconds.
package fleettest
