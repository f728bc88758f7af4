# Host names. Applied by hostnamed or /etc/hostname on Linux and by
# `scutil --set` on macOS.

option "networking.host_name" {
  type        = null_or(str)
  description = "The machine's host name, an RFC 1123 name such as `atlas` or `atlas.example.org`. Linux: set through systemd-hostnamed (or `/etc/hostname`), and gocfg writes `/etc/hosts` so that the name resolves (see `networking.hosts`; not with `networking.manage_etc_hosts = false`, which `gocfg init` writes: then a new name is yours to add there); macOS: `scutil --set HostName`. Unset leaves the host name alone."
  example     = "atlas"
}

option "networking.computer_name" {
  type        = null_or(str)
  description = "macOS only: the user-friendly computer name shown in Finder and AirDrop, set with `scutil --set ComputerName`. Unset leaves it alone."
  example     = "Alice's MacBook"
}

option "networking.local_host_name" {
  type        = null_or(str)
  description = "macOS only: the Bonjour name (`<name>.local`), set with `scutil --set LocalHostName`; letters, digits and hyphens only. Unset leaves it alone."
  example     = "atlas"
}

locals {
  # One RFC 1123 label: letters, digits and inner hyphens, at most 63 characters.
  label = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
}

assert {
  condition = config.networking.host_name == null || (
    can(regex("^${local.label}(\\.${local.label})*$", config.networking.host_name)) &&
    strlen(config.networking.host_name) <= 253
  )
  message = "\"${coalesce(config.networking.host_name, "")}\" is not an RFC 1123 host name (dot-separated labels of letters, digits and inner hyphens, each at most 63 characters)."
  at      = "networking.host_name"
}

# The Linux kernel keeps at most 64 bytes of a host name (HOST_NAME_MAX):
# sethostname(2) and systemd-hostnamed refuse a longer one, so an FQDN
# that RFC 1123 allows (253) would fail only when applied.
assert {
  condition = host.os != "linux" || config.networking.host_name == null || strlen(coalesce(config.networking.host_name, "")) <= 64
  message   = "Linux keeps at most 64 characters of a host name, and this one has ${strlen(coalesce(config.networking.host_name, ""))}. Use the short name (atlas rather than atlas.example.org)."
  at        = "networking.host_name"
}

assert {
  condition = config.networking.local_host_name == null || can(regex("^${local.label}$", config.networking.local_host_name))
  message   = "\"${coalesce(config.networking.local_host_name, "")}\" must be letters, digits and inner hyphens only, at most 63 characters (no dots)."
  at        = "networking.local_host_name"
}
