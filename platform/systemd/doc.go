// Package systemd is the resource provider for systemd units: the
// system manager's (`systemd.services`, `systemd.timers`) and each user's
// (`home.<user>.systemd.services`, `.timers`). Unit files are rendered by
// platform/systemd/unit, stored in the generation (files roots
// "systemd/system" and "systemd/user/<name>") and written as real files
// under /etc/systemd/system or ~/.config/systemd/user; the manager is
// driven through the system.Units seam (D-Bus on a live machine, offline
// links under --root). systemd is Linux's: on another OS (a Mac, --os
// darwin) no configured unit is planned, and the configuration warns of
// those it names (modules/builtin/hcl/linux/systemd.hcl); units an
// earlier generation recorded there are removed as dropped ones.
//
// The switching rules are NixOS's switch-to-configuration's:
//   - a unit whose `enable` is false is left out as if it were not
//     declared (NixOS's enable): a switch removes it by the rule for a
//     removed unit below, its plan line saying "enable = false"; a timer
//     that starts such a service is refused;
//   - a new unit is enabled when it has an [Install] section, and
//     started when a target wants it ([Install] WantedBy=/RequiredBy=);
//     a service only a timer or another unit triggers (no wanted_by) is
//     installed but not run by the switch itself;
//   - a changed unit (compared as parsed sections, not bytes) that is
//     active, enabled or not, is reloaded when `reload_if_changed`, else
//     restarted unless `restart_if_changed = false`; a change to
//     [Install] re-enables it (and does only that when nothing else
//     changed), and a change to Description-like keys only needs the
//     daemon-reload;
//   - `restart_triggers` and `reload_triggers` (NixOS's restartTriggers
//     and reloadTriggers: values such as the text of a configuration file
//     the service reads, `[config.environment.etc["nginx/nginx.conf"].text]`)
//     are written into the unit as hashes, `X-Restart-Triggers=` and
//     `X-Reload-Triggers=` in [Unit], so that the service never runs a
//     stale configuration: a change to the restart triggers is a change
//     of the unit like any other (the rule above), and a change to the
//     reload triggers alone (Description-like keys and [Install] aside)
//     reloads an active service even without `reload_if_changed` and with
//     `restart_if_changed = false`; with anything else changed too, the
//     rule above applies. A service that cannot be reloaded (no
//     `exec_reload`, not `type = "notify-reload"`) cannot have reload
//     triggers;
//   - a removed unit is stopped and disabled unless `stop_on_removal =
//     false`, and its file removed if it is still what gocfg wrote (then
//     it is disabled in any case: its links would point nowhere);
//   - a change to the switching options alone (`enable`,
//     `restart_if_changed`, `reload_if_changed`, `stop_on_removal`) with
//     nothing to do is a change of the records only, so that the new
//     generation keeps them.
//
// Each resource's line in the plan says which of start, restart, reload,
// stop, enable and disable happens. The jobs of one manager run as one
// hidden change after every unit file is written, and after the files a
// service may read (environment.etc for the system manager, the user's
// home.<user>.files for theirs; a linked file, though, shows its new
// content only once `current` flips, after the jobs): stops, disables,
// enables, one daemon-reload (when a file or a link changed: enabling
// over D-Bus does not reload), then starts, restarts and reloads, each
// waiting for its job's result; a unit that fails fails the switch.
// A hidden checkpoint change runs before everything else: its Undo, which
// runs last, once the previous unit files are back, restores every
// touched unit's enablement, reloads the manager, and returns each unit
// to its previous active state (restarting one that was active unless it
// still has the main process it had before the switch, which is reloaded
// again if the switch reloads it). A unit the undo leaves stopped that the
// switch left failed (a new unit that could not start) has its failure
// cleared, as `systemctl reset-failed` does: the failure was undone, and a
// failed unit keeps the machine "degraded" even once its file is gone. A
// unit that was failed before the switch stays failed.
package systemd
