package nspawntest

import "time"

// Options says how [Boot] sets up a container. The zero value boots the
// cached root file system with the local apt repository bound in and
// nothing else.
type Options struct {
	// Name is the machine name and the container's hostname (a valid
	// hostname label); default "nspawntest".
	Name string

	// Bind and BindRO are bind mounts, in systemd-nspawn's --bind syntax:
	// "HOST" (the same path inside), "HOST:CONTAINER" or
	// "HOST:CONTAINER:OPTIONS" (e.g. "norbind"; a ':' in a path is written
	// "\:"). BindRO mounts read-only.
	Bind   []string
	BindRO []string

	// Gocfg is the host path of a gocfg binary (usually from
	// [BuildGocfg]), bound read-only at /usr/local/bin/gocfg.
	Gocfg string

	// NetworkNamespacePath joins the container to an existing network
	// namespace (e.g. "/run/netns/host1", testing.md §3) instead of giving
	// it a private one with no network.
	NetworkNamespacePath string

	// ExtraArgs are appended to the systemd-nspawn command line, before
	// the options that start the boot.
	ExtraArgs []string

	// BootTimeout bounds the wait for `systemctl is-system-running` to
	// say running or degraded; default 60 s.
	BootTimeout time.Duration

	// ExecTimeout bounds each command run through Exec and friends;
	// default 5 minutes.
	ExecTimeout time.Duration
}
