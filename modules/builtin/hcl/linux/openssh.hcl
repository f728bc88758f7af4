# services.openssh (NixOS's services.openssh.enable, ports, settings and
# openFirewall) and users.<name>.authorized_keys (NixOS's
# users.users.<name>.openssh.authorizedKeys.keys): the Debian package
# openssh-server, a drop-in /etc/ssh/sshd_config.d/60-gocfg.conf checked
# with `sshd -t` before it replaces the old one, the packaged unit
# ssh.service enabled and started through systemd.units (which puts back
# its earlier state when the option goes) and reloaded (never stopped)
# when the drop-in changes, host keys generated if missing, and
# ~/.ssh/authorized_keys.

option "services.openssh.enable" {
  type        = bool
  default     = false
  description = "Run the OpenSSH server: install the package `openssh-server`, enable and start `ssh.service`, and write the settings below to `/etc/ssh/sshd_config.d/60-gocfg.conf`, which Debian's `/etc/ssh/sshd_config` reads first (`Include`), so they win over the main file. sshd takes the first value it reads for a key, so a drop-in named before ours (such as `50-cloud-init.conf`) wins over ours for the keys it sets. The new drop-in is checked with `sshd -t` (with the rest of the configuration, when the plan is made) and sshd is then reloaded: it re-reads its configuration and re-opens its ports without dropping open sessions, and a configuration it refuses leaves the running server as it was, so a switch made over SSH survives. Missing host keys are generated (`ssh-keygen -A`). Turning it off removes the drop-in (and the package, if gocfg installed it) and reloads sshd without our settings, and puts back the state `ssh.service` had before gocfg (`systemd.units`): one that was enabled and running before stays so, so turning the option off never cuts the machine off. On macOS it turns Remote Login on (`systemsetup -f -setremotelogin on`; the other settings are Linux only), and turning it off puts back the state Remote Login had before gocfg."
  example     = true
}

option "services.openssh.ports" {
  type        = list_of(int)
  default     = [22]
  description = "TCP ports sshd listens on (`Port`). With `open_firewall`, they are added to `networking.firewall.allowed_tcp_ports`."
  example     = [22, 2222]
}

option "services.openssh.open_firewall" {
  type        = bool
  default     = true
  description = "Add `ports` to `networking.firewall.allowed_tcp_ports`, so that the firewall, when `networking.firewall.enable` is on, lets SSH in."
  example     = false
}

option "services.openssh.settings" {
  type        = attrs_of(anything)
  default     = {}
  description = "sshd_config(5) keywords and their values, one line each in the drop-in: `true`/`false` are written `yes`/`no`, numbers as they are, a list as its items separated by spaces (`AllowUsers = [\"alice\", \"bob\"]` is `AllowUsers alice bob`), or by commas for the algorithm lists (`Ciphers`, `KexAlgorithms`, `MACs`, `HostKeyAlgorithms`, `PubkeyAcceptedAlgorithms`, `CASignatureAlgorithms`, `HostbasedAcceptedAlgorithms`, `GSSAPIKexAlgorithms`), `null` leaves the key out. Use `ports` rather than `Port`. An unknown keyword or a bad value fails the plan (`sshd -t`)."
  example     = { PasswordAuthentication = false, PermitRootLogin = "prohibit-password", X11Forwarding = false }
}

# This adds "authorized_keys" to the users submodule of core/users.hcl.
option "users" {
  type = attrs_of(submodule({
    authorized_keys = {
      type        = list_of(str)
      default     = []
      description = "Public keys that may log in as this user over SSH, one `authorized_keys` line each (`ssh-ed25519 AAAA... alice@laptop`, options allowed in front). gocfg writes them to `~/.ssh/authorized_keys`, owned by the user with mode 0600 in `~/.ssh` (0700), as sshd's strict modes want; an unmanaged file already there stops the switch: move it away (or its keys into the list) first. Emptying the list removes the file."
      example     = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGj0yVv1mZc7cJVuPa3pZ0a6u9gdp3kC9oO4oR1b9Xk6 alice@laptop"]
    }
  }))
}

locals {
  sshd_on = config.services.openssh.enable && host.os == "linux"
  # What the asserts below refuse.
  sshd_bad_ports = [for p in config.services.openssh.ports : p if p < 1 || p > 65535]
  sshd_bad_names = [for k, v in config.services.openssh.settings : k if !can(regex("^[A-Za-z][A-Za-z0-9]*$", k))]
  sshd_port_set  = [for k, v in config.services.openssh.settings : k if lower(k) == "port"]
  # The values sshd_config(5) allows for the keywords a NixOS user sets
  # most (NixOS types them so too), checked here so that gocfg check
  # refuses a wrong one at its line; sshd -t, at plan time, pointed at the
  # drop-in's definition instead (tester W).
  sshd_enums = {
    PermitRootLogin        = ["yes", "no", "prohibit-password", "without-password", "forced-commands-only"]
    PasswordAuthentication = ["yes", "no"]
    KbdInteractiveAuthentication = ["yes", "no"]
    PubkeyAuthentication   = ["yes", "no"]
    X11Forwarding          = ["yes", "no"]
    UsePAM                 = ["yes", "no"]
    PermitEmptyPasswords   = ["yes", "no"]
  }
  # sshd reads keywords and these values in any case (strcasecmp).
  sshd_enums_lower = { for k, vs in local.sshd_enums : lower(k) => vs }
  sshd_bad_values = [
    for k, v in config.services.openssh.settings : k
    if v != null && contains(keys(local.sshd_enums_lower), lower(k)) && !contains(lookup(local.sshd_enums_lower, lower(k), []), lower(try(v ? "yes" : "no", tostring(v), "")))
  ]
  sshd_multiline = [
    for k, v in config.services.openssh.settings : k if v != null && can(regex("\n", try(join(" ", [for x in v : format("%v", x)]), format("%v", v))))
  ]
  # Every user's keys in one list: a for expression for each user would
  # cost a configuration of a thousand users milliseconds. Which users
  # hold the bad ones is worked out only when there are some (the
  # assert's at).
  sshd_bad_keys = [for k in flatten([for name, u in config.users : u.authorized_keys]) : k if can(regex("\n", k)) || trimspace(k) == ""]
  sshd_value = {
    for k, v in config.services.openssh.settings : k => (
      v == true ? "yes" : v == false ? "no" : try(join(contains(local.sshd_comma, lower(k)) ? "," : " ", [for x in v : x == true ? "yes" : x == false ? "no" : format("%v", x)]), format("%v", v))
    ) if v != null
  }
  # The keywords whose list sshd_config(5) wants separated by commas, as
  # NixOS writes Ciphers, KexAlgorithms and Macs (tester BC: spaces made
  # sshd -t refuse the drop-in).
  sshd_comma = ["ciphers", "kexalgorithms", "macs", "hostkeyalgorithms", "pubkeyacceptedalgorithms", "pubkeyacceptedkeytypes", "casignaturealgorithms", "hostbasedacceptedalgorithms", "hostbasedacceptedkeytypes", "gssapikexalgorithms"]
  sshd_dropin = join("\n", concat(
    ["# Written by gocfg (services.openssh); replaced by every switch."],
    [for p in config.services.openssh.ports : "Port ${p}"],
    [for k in sort(keys(local.sshd_value)) : "${k} ${local.sshd_value[k]}"],
    [""],
  ))
}

environment {
  system_packages = local.sshd_on ? ["openssh-server"] : []

  etc "ssh/sshd_config.d/60-gocfg.conf" {
    when = local.sshd_on
    text = local.sshd_dropin
    # The drop-in alone is not a configuration sshd can test: the check
    # gives sshd the candidate followed by an Include of the machine's
    # /etc/ssh/sshd_config (which includes sshd_config.d/*.conf, the old
    # drop-in too: sshd keeps the first value of a key, so the
    # candidate's win), all on standard input, the only descriptor sshd
    # keeps open. A throw-away host key stands in for the machine's, which
    # may not exist yet (and which only root can read). Without sshd (the
    # switch that installs openssh-server) there is nothing to test with:
    # ssh.service tests the configuration itself before it starts or
    # reloads. `sshd -t` also requires /run/sshd, its privilege
    # separation folder, which ssh.service makes only while it runs
    # (RuntimeDirectory): a stopped server failed every switch. Without
    # it, the test runs in a mount namespace of its own with a tmpfs on
    # /run (unshare keeps its mounts private: nothing changes on the
    # machine); where that cannot be made (no CAP_SYS_ADMIN), the test is
    # left to ssh.service's start.
    check = <<-SH
      [ -x /usr/sbin/sshd ] && [ -e /etc/ssh/sshd_config ] || exit 0
      t() { "$@"; }
      if [ ! -d /run/sshd ]; then
        unshare -m sh -c 'mount -t tmpfs -o mode=0755 tmpfs /run' 2>/dev/null || exit 0
        t() { unshare -m sh -c 'mount -t tmpfs -o mode=0755 tmpfs /run && mkdir /run/sshd && exec "$@"' sh "$@"; }
      fi
      d=$(mktemp -d) || exit 1
      trap 'rm -rf "$d"' EXIT
      ssh-keygen -q -t ed25519 -N '' -C check -f "$d/key" >/dev/null || exit 1
      { cat %s; printf '\nInclude /etc/ssh/sshd_config\n'; } | t /usr/sbin/sshd -t -f /dev/stdin -o HostKey="$d/key"
    SH
    # A reload, not a restart: sshd re-executes itself with the new
    # configuration and ports and keeps open sessions, and Debian's
    # ExecReload runs `sshd -t` first, so a refused configuration leaves
    # the server running as it was (a restart stops it first, and a
    # failed start then leaves no server). A stopped ssh.service is left
    # to systemd.units below, which starts it after the packages and the
    # files of the switch. On removal the file is gone: a running sshd is
    # reloaded without our settings. systemctl returns once sshd has its
    # SIGHUP, but sshd then removes its pid file, closes its ports,
    # re-executes itself, listens again and only then writes the pid file
    # anew: the hook waits for that (up to 5 s), so that a connection
    # made right after the switch (the next step of a deployment) is not
    # refused.
    on_change = <<-SH
      if [ -e /etc/ssh/sshd_config.d/60-gocfg.conf ]; then ssh-keygen -A || exit 1; fi
      systemctl -q is-active ssh.service || exit 0
      pidfile=$(/usr/sbin/sshd -T 2>/dev/null | awk '$1 == "pidfile" { print $2 }')
      was=$(stat -c %y -- "$pidfile" 2>/dev/null)
      systemctl reload ssh.service || exit 1
      [ -n "$was" ] || exit 0
      i=0
      while now=$(stat -c %y -- "$pidfile" 2>/dev/null); { [ -z "$now" ] || [ "$now" = "$was" ]; } && [ $i -lt 50 ]; do
        sleep 0.1
        i=$((i + 1))
      done
    SH
  }
}

# Enabled and started; the entry gone, ssh.service is put back as it
# was before gocfg first took it over: disabled and stopped if the switch
# installed openssh-server (before the package goes), enabled and running
# if it was so. A unit from the packages of the same switch is accepted
# (the unit is enabled after packages:install).
systemd {
  units "ssh.service" {
    when   = local.sshd_on
    enable = true
  }
}

networking {
  firewall {
    # The valid ports only: openssh's own assert reports a bad one at the
    # user's line, and the firewall's would report it again at this one.
    allowed_tcp_ports = config.services.openssh.enable && config.services.openssh.open_firewall ? [for p in config.services.openssh.ports : p if p >= 1 && p <= 65535] : []
  }
}

home_files = {
  for name, u in config.users : name => {
    # No generated_by: one more field in every user's file costs the
    # cold evaluation of 1,000 users with keys 3% (callgrind).
    ".ssh/authorized_keys" = {
      text = join("\n", concat(u.authorized_keys, [""]))
      mode = "0600"
    }
  } if length(u.authorized_keys) > 0
}

assert {
  condition = length(local.sshd_bad_ports) == 0 && length(config.services.openssh.ports) > 0
  message   = "at least one port, each from 1 to 65535${length(local.sshd_bad_ports) > 0 ? " (not ${join(", ", local.sshd_bad_ports)})" : ""}."
  at        = "services.openssh.ports"
}

assert {
  condition = length(local.sshd_bad_names) == 0
  message   = "not an sshd_config keyword such as PasswordAuthentication."
  at        = [for k in local.sshd_bad_names : "services.openssh.settings.${jsonencode(k)}"]
}

assert {
  condition = length(local.sshd_bad_values) == 0
  message   = "sshd_config(5) allows only these values: ${join("; ", [for k in local.sshd_bad_values : "${k}: ${join(", ", local.sshd_enums_lower[lower(k)])}"])}${anytrue([for k in local.sshd_bad_values : length(local.sshd_enums_lower[lower(k)]) == 2]) ? " (or true, false)" : ""}."
  at        = [for k in local.sshd_bad_values : "services.openssh.settings.${jsonencode(k)}"]
}

assert {
  condition = length(local.sshd_port_set) == 0
  message   = "set the ports with services.openssh.ports."
  at        = [for k in local.sshd_port_set : "services.openssh.settings.${jsonencode(k)}"]
}

assert {
  condition = length(local.sshd_multiline) == 0
  message   = "a value is one line."
  at        = [for k in local.sshd_multiline : "services.openssh.settings.${jsonencode(k)}"]
}

assert {
  condition = length(local.sshd_bad_keys) == 0
  message   = "one key per item, each one non-empty line."
  at        = [for name, u in config.users : "users.${jsonencode(name)}.authorized_keys" if length([for k in u.authorized_keys : k if contains(local.sshd_bad_keys, k)]) > 0]
}
