// Package unitstate is the resource provider for `systemd.units."<name>"`:
// whether a unit that a package ships (ssh.service, cron.service,
// dpkg-db-backup.timer) is enabled and running. gocfg never writes these
// units' files (platform/systemd writes its own, systemd.services and
// systemd.timers); it only enables, disables, starts and stops them
// through the System seam's Units (D-Bus; under --root, the links of the
// tree), one resource per unit, ID "unitstate:<name>".
//
// `enable = true` enables the unit (by its [Install] section, or with
// wanted_by by links <target>.wants/<name> under /etc/systemd/system,
// as `systemctl add-wants` makes them) and starts it; `enable = false`
// disables and stops it. When gocfg first takes a unit over it records
// the unit's earlier state (enabled or not, active or not); removing the
// entry, or rolling back to a generation without it, removes the links
// gocfg made and puts that state back, unless the unit was changed by
// hand since (then it is left alone with a warning). Units gocfg never
// took over are never touched.
//
// A unit the machine does not have is a configuration error at plan
// time, so is a masked unit to enable, or a unit with no [Install]
// section to enable without wanted_by. Under --root nothing runs: only
// the links change, and an enabled unit starts at boot (the plan says
// so); the earlier state recorded offline takes "active" to be
// "enabled", which is what a boot makes of it. System units need root:
// an unprivileged run without --root plans nothing and says so.
package unitstate
