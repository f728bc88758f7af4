// Package deploy is what `gocfg deploy` knows of a fleet before it
// connects to it: the inventory (each `hosts/<name>.hcl` of the
// repository and its `deployment.*` options), the selection of hosts from
// the command line (a name, `@tag` or a glob), and how many failures stop
// a deploy (`--max-fail N|P%`).
//
// The transport is the OpenSSH client binary (never a home-made protocol),
// so the user's ssh_config, agent, ProxyJump and known_hosts apply.
//
// The deploy itself (Deployer, over a Transport; SSH is the real one):
// per host, Fleet runs --parallel at a time, with --max-fail. Each host:
//
//  0. Deployer.Check (supplied by cmd/gocfg) looks at its configuration
//     before the connection: a file it reads that the repository lacks
//     fails the host without contacting it;
//  1. connect once (ssh with ControlMaster=auto and a ControlPath in a
//     private folder of the session): `uname -s -m` gives host.os and
//     host.arch, its os-release host.distro (ParseProbe);
//  2. evaluate its configuration here with those facts (Deployer.Prepare,
//     supplied by cmd/gocfg) into a bundle (deploy/bundle);
//  3. put the gocfg binary for its OS and architecture on it unless it has
//     it: ~/.cache/gocfg/deploy/gocfg-<first 16 hex digits of its SHA-256>;
//  4. ask `deploy-agent --missing` which files of the bundle's manifest
//     the host's last bundle lacks, stream the bundle with those files
//     only into `deploy-agent --receive` (a new
//     ~/.cache/gocfg/deploy/run-<id>), start the agent detached, and
//     follow its log (resumed --from the bytes seen when the connection
//     drops) to its status (protocol.go);
//  5. when it awaits confirmation: run the health checks (commands on the
//     host over ssh, URLs from here with net/http), then confirm over a
//     new connection (ControlMaster=no, ControlPath=none); a failing check
//     or a confirmation that cannot get through leaves the host to roll
//     itself back, which the deploy follows and reports.
//
// A deploy interrupted (its context ends: SIGINT, SIGTERM) starts no
// more hosts and reports each one under way Interrupted, with what
// becomes of it from how far it went (interrupted.go): a switch goes on
// detached on its host and, unconfirmed, rolls back by itself. SSH runs
// each ssh in a process group of its own, so that a Ctrl-C reaches gocfg
// alone, and SSH.Cleanup ends the masters left (ssh -O exit), which ssh
// daemonises out of gocfg's reach.
//
// Every command runs on the host as `<become> <gocfg> <args>`, each word
// quoted for the login shell (Shell, Quote); become is "sudo -n" or
// "doas -n" (BecomeArgs). Each host writes its lines through its own
// Prefixed writer ("<host>: "), whole lines only; WriteTable ends the
// deploy with one line per host.
//
// The privilege boundary (DESIGN.md §7) on a host: the binary and the
// run-<id> folders are in the home of the account deploy logs in as, and
// root's deploy-agent reads and writes them with plain file calls, not
// through the System seam's confinement. That is by design, not an
// exception to §7: that account is the one whose sudo or doas runs gocfg
// as root, so whoever controls its home can already make root's gocfg do
// anything (switch to any configuration, or replace the binary it runs);
// no other user can write there unless that account's home lets them,
// which gocfg does not support. Everything the switch itself does to the
// machine goes through the System seam, as for a local switch.
package deploy
