// Package unit writes systemd unit files from the evaluated
// configuration's `systemd.services` and `systemd.timers` (DESIGN.md §3)
// and tells, from two versions of a unit file, what a switch must do to
// the running unit. It is pure logic: it reads no files and talks to no
// systemd; the systemd provider writes the bytes RenderService and
// RenderTimer return and asks the manager to start, restart, reload or
// re-enable units after Classify.
//
// # Rendering
//
// Service and Timer are decoded from the JSON of one
// `systemd.services.<name>` or `systemd.timers.<name>` value; their JSON
// keys are the option names. RenderService and RenderTimer turn them into
// a unit file with github.com/coreos/go-systemd/v22/unit, in a fixed
// order: [Unit], then [Service] or [Timer], then [Install]; the typed
// options first, in the order of the option list, then the extra keys of
// unit_config, service_config, timer_config and install_config (Settings)
// sorted by name. An extra key takes NixOS's values (its attrsToSection):
// a string, a number (written as gocfg prints it: 5, 1.5), a bool
// (written true or false) or a list of those (one line per item, in
// order); null leaves it out. Since systemd takes the last assignment of
// a single-valued setting, an extra key overrides the typed option of the
// same name (`service_config.User` beats `user`; of a list, the last
// item does), and adds to the lines of a setting that takes a list
// (ExecStartPre= after exec_start_pre's). List options write one line per
// element, in the configured order, which is how systemd reads them most
// plainly (`After=a.service` then `After=b.service`). Empty strings are
// left out, in lists too: an empty assignment resets a list in systemd,
// which is never what an element of a list means. The output is the same
// bytes for the same input and ends with a newline. It has no "managed by
// gocfg" comment: go-systemd's Serialize cannot write comments.
//
// Values are written as they are, so systemd's specifiers (%i, %h, ...)
// keep working in exec_start and the others. The exception is
// `environment`, a map of literal values: each variable is written as
// `Environment="NAME=value"` with `\`, `"` and control characters
// C-escaped and `%` doubled, which systemd.exec turns back into exactly
// the value (a line break in a variable's value is thus written as `\n`).
//
// A unit file has one line per value and go-systemd does not escape line
// breaks, so a value with a line break (anywhere but in an environment
// variable) is refused, as is a value ending in a backslash (systemd
// would read the next line as its continuation) and a line longer than
// go-systemd's parser reads back (2047 bytes). Errors are *Error, naming
// the unit, the section and the key.
//
// # Classifying changes
//
// Parse reads a unit file into a File, section → key → values, and
// Classify compares two of them the way NixOS's switch-to-configuration
// (switch-to-configuration-ng, compare_units) does: layout, comments,
// whitespace around values and the order of sections and of different
// keys do not count; the order of the values of one key does. The result
// is Same, Cosmetic (only [Unit] keys that systemd applies at
// daemon-reload without a restart differ), InstallOnly (the [Install]
// section differs, which needs a re-enable and no restart), Reload (the
// reload triggers differ, and nothing else but those) or Changed.
// Whether a Changed service is restarted or reloaded is the caller's
// decision, from its restart_if_changed and reload_if_changed options.
//
// # Triggers
//
// A service's restart_triggers and reload_triggers (NixOS's
// restartTriggers and reloadTriggers) are values its unit does not
// otherwise show, typically the text of a configuration file it reads.
// RenderService writes each list's TriggersHash as X-Restart-Triggers= and
// X-Reload-Triggers= in [Unit], as NixOS does, so that a change to a
// value is a change to the unit file. Classify calls a change to
// X-Restart-Triggers Changed, like any key's, and one to X-Reload-Triggers
// alone Reload. reload_triggers on a service systemd cannot reload (no
// ExecReload=, not Type=notify-reload) are refused (ErrNoReload).
package unit
