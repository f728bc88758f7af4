# systemd.tmpfiles.rules (NixOS's systemd.tmpfiles.rules): tmpfiles.d(5)
# lines in /etc/tmpfiles.d/gocfg.conf, created at the switch as at boot.

option "systemd.tmpfiles.rules" {
  type        = list_of(str)
  default     = []
  description = "Lines of tmpfiles.d(5) (`Type Path Mode User Group Age Argument`), written to `/etc/tmpfiles.d/gocfg.conf`, which systemd applies at every boot and which gocfg applies at the switch with `systemd-tmpfiles --create` on that file. As with NixOS, removing a rule does not remove what it created."
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
