# networking.networkmanager.enable (NixOS's networking.networkmanager.enable):
# the distribution's NetworkManager package, and its unit enabled and
# started through systemd.units (which puts back the unit's earlier state
# when the option goes). Nothing at all when off.

option "networking.networkmanager.enable" {
  type        = bool
  default     = false
  description = "Install NetworkManager (package `network-manager` on Debian, `NetworkManager` on Fedora, `networkmanager` on Arch) and enable and start `NetworkManager.service`, so `nmcli` and desktop network applets manage the connections. Interfaces configured in `/etc/network/interfaces` stay with ifupdown unless you remove them there. Turning it off removes the package if gocfg installed it, and puts back the unit's earlier state otherwise. Linux only."
  example     = true
}

locals {
  nm_packages = {
    debian = "network-manager"
    fedora = "NetworkManager"
    arch   = "networkmanager"
  }
  nm_on      = config.networking.networkmanager.enable && host.os == "linux"
  nm_package = lookup(local.nm_packages, host.distro, "")
}

environment {
  system_packages = local.nm_on && local.nm_package != "" ? [local.nm_package] : []
}

systemd {
  units "NetworkManager.service" {
    when   = local.nm_on
    enable = true
  }
}

assert {
  condition = !local.nm_on || local.nm_package != ""
  message   = "gocfg does not know NetworkManager's package on this system (host.distro is \"${host.distro}\"; it knows ${join(", ", [for d, p in local.nm_packages : "${d}: ${p}"])}). Install it with environment.system_packages and enable the unit with systemd.units.\"NetworkManager.service\" instead."
  at        = "networking.networkmanager.enable"
}

warn {
  condition = config.networking.networkmanager.enable && host.os != "linux"
  message   = "applied on Linux only; macOS manages its network itself."
  at        = "networking.networkmanager.enable"
}
