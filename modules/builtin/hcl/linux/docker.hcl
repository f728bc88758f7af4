# virtualisation.docker (NixOS's virtualisation.docker.enable,
# daemon.settings, and users.users.<name>.extraGroups = [ "docker" ]): the
# Debian package docker.io, /etc/docker/daemon.json written from the
# settings (jsonencode, so always valid JSON) with dockerd told to re-read
# it when it changes, docker.service and docker.socket enabled and
# started through systemd.units (so that turning the option off disables
# them before the package goes, leaving no link behind), and the users in
# the group docker.

option "virtualisation.docker.enable" {
  type        = bool
  default     = false
  description = "Run the Docker daemon: install the package `docker.io`, enable and start `docker.service` and `docker.socket` (their earlier state is put back when the option goes), write `settings` to `/etc/docker/daemon.json` and put `users` in the group `docker`. Turning it off removes daemon.json and the package, if gocfg installed it (images and containers in `/var/lib/docker` stay). Linux only."
  example     = true
}

option "virtualisation.docker.settings" {
  type        = attrs_of(anything)
  default     = {}
  description = "dockerd's configuration (daemon.json keys, see dockerd(8)), written as JSON to `/etc/docker/daemon.json` (keys sorted); empty writes no file. A running dockerd is told when the file changes (`systemctl reload-or-restart docker`; docker.service has a reload, so this is a SIGHUP): dockerd then applies the keys it can change live (`debug`, `log-level`, `labels`, `registry-mirrors`, `insecure-registries`, `live-restore`, `max-concurrent-downloads`, ...) and logs an error and keeps its configuration if the file is wrong (an unknown key). Other keys (`data-root`, `bip`, `storage-driver`) wait for the next start of the daemon (`systemctl restart docker`, which stops the containers unless `live-restore` is on), and a key dockerd refuses then keeps it from starting."
  example     = { log-driver = "journald", live-restore = true, registry-mirrors = ["https://mirror.gcr.io"] }
}

option "virtualisation.docker.users" {
  type        = list_of(str)
  default     = []
  description = "Users added to the group `docker` (`groups.docker.members`), who may then use the daemon without sudo. The group itself is declared while Docker is on, with or without users (the API socket belongs to it). Membership of that group is as good as root on the machine. It applies to their next login."
  example     = ["alice"]
}

locals {
  docker_on = config.virtualisation.docker.enable && host.os == "linux"
}

environment {
  system_packages = local.docker_on ? ["docker.io"] : []

  etc "docker/daemon.json" {
    when = local.docker_on && length(config.virtualisation.docker.settings) > 0
    text = "${jsonencode(config.virtualisation.docker.settings)}\n"
    # On removal the file is gone: dockerd goes back to its defaults for
    # what it can reload. Nothing when dockerd is not running (the
    # switch that installs docker.io starts it after the file is there).
    on_change = <<-SH
      if systemctl -q is-active docker.service; then exec systemctl reload-or-restart docker.service; fi
    SH
  }
}

# Declared while Docker is on, with users or without: the socket
# belongs to the group, so a group gocfg made before the package stays as
# long as the daemon does (tester W: emptying users removed it, and
# docker.socket then failed to start, status=216/GROUP). NixOS's module
# declares it the same way.
groups "docker" {
  when    = local.docker_on
  members = config.virtualisation.docker.users
}

systemd {
  units "docker.service" {
    when   = local.docker_on
    enable = true
  }
  # docker.service requires it (the API socket, owned by the group docker).
  units "docker.socket" {
    when   = local.docker_on
    enable = true
  }
}

warn {
  condition = config.virtualisation.docker.enable && host.os != "linux"
  message   = "applied on Linux only; on macOS use Docker Desktop or colima."
  at        = "virtualisation.docker.enable"
}
