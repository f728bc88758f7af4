// Package hostname is the resource provider for `networking.host_name`
// (DESIGN.md §3): one resource, ID "hostname", set through the
// system.System seam (org.freedesktop.hostname1 when it answers, else
// /etc/hostname and sethostname(2); under `--root`, the root's
// /etc/hostname).
//
// The records keep the name gocfg set and the static host name the
// machine had before gocfg first managed it. Unsetting the option (or
// rolling back to a generation that did not set it) restores that
// original name, unless the name was changed by hand since gocfg set it:
// then it is left alone with a warning, as the files provider leaves a
// hand-edited file.
//
// A static host name of "" (the machine had none before gocfg) is put
// back by removing /etc/hostname through the seam; the running kernel
// keeps its name until the next boot, as with `hostnamectl
// set-hostname ""`.
//
// Setting the host name needs root; an unprivileged run without --root
// plans nothing and says so. On macOS this provider plans nothing:
// platform/macos/names sets the HostName there (`scutil --set HostName`)
// with the ComputerName and LocalHostName.
package hostname
