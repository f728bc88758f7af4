// Package deploy is what `gocfg deploy` knows of a fleet before it
// connects to it: the inventory (each `hosts/<name>.hcl` of the
// repository and its `deployment.*` options), the selection of hosts from
// the command line (a name, `@tag` or a glob), and how many failures stop
// a deploy (`--max-fail N|P%`).
//
// The transport is the OpenSSH client binary (never a home-made protocol),
// so the user's ssh_config, agent, ProxyJump and known_hosts apply.
//
// Not built yet: connecting, sending the evaluated configuration and
// content, the detached switch on the host, magic rollback and health
// checks (issue 15). gocfg has no deploy command until they are.
package deploy
