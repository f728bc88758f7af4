# systemd.tmpfiles.rules (NixOS's systemd.tmpfiles.rules): tmpfiles.d(5)
# lines in /etc/tmpfiles.d/gocfg.conf, created at the switch as at boot.

option "systemd.tmpfiles.rules" {
  type        = list_of(str)
  default     = []
  description = "Lines of tmpfiles.d(5) (`Type Path Mode User Group Age Argument`), written to `/etc/tmpfiles.d/gocfg.conf`, which systemd applies at every boot and which gocfg applies at the switch with `systemd-tmpfiles --create` on that file. As with NixOS, removing a rule does not remove what it created. Linux only: on macOS nothing is written, with a warning."
  example     = ["d /var/lib/myapp 0750 root root -", "L+ /opt/tool - - - - /srv/tool"]
}

environment {
  etc "tmpfiles.d/gocfg.conf" {
    when = length(config.systemd.tmpfiles.rules) > 0 && host.os == "linux"
    text = join("\n", concat(
      ["# Written by gocfg (systemd.tmpfiles.rules); replaced by every switch."],
      config.systemd.tmpfiles.rules,
      [""],
    ))
    on_change = "if [ -e /etc/tmpfiles.d/gocfg.conf ]; then systemd-tmpfiles --create /etc/tmpfiles.d/gocfg.conf; fi"
  }
}

locals {
  # tmpfiles.d(5): a type (letters of the man page, with + and the
  # ! - = ~ ^ $ ? modifiers), then an absolute path or one starting with a
  # specifier (%h, %t, ...); blank lines and comments too. systemd skips a
  # line it cannot read, with a log line at boot, so a typo would go
  # unnoticed. A rule is one line.
  tmpfiles_bad = [
    for i, r in config.systemd.tmpfiles.rules : i + 1
    if can(regex("[\\n\\r]", r)) || !can(regex("^\\s*(#.*)?$", r)) && !can(regex("^\\s*[fwdDevqQpLcbCxXrRzZtThHaA][-+!=~^$?]*\\s+[/%]\\S*", r))
  ]
}

assert {
  condition = length(local.tmpfiles_bad) == 0
  message   = "not a tmpfiles.d line (rule${length(local.tmpfiles_bad) > 1 ? "s" : ""} ${join(", ", local.tmpfiles_bad)}, counting from 1): a type and an absolute path, then mode, user, group, age and argument, such as \"d /var/lib/myapp 0750 root root -\"."
  at        = "systemd.tmpfiles.rules"
}

warn {
  condition = host.os != "linux" && length(config.systemd.tmpfiles.rules) > 0
  message   = "applied on Linux only; on macOS /etc/tmpfiles.d/gocfg.conf is not written (macOS has no systemd-tmpfiles)."
  at        = "systemd.tmpfiles.rules"
}
