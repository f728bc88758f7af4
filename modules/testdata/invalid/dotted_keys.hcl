# An object that sets a group of options with a dotted key, as NixOS
# writes an option path: the error is at the key and says how to nest it.
networking = {
  host_name       = "atlas"
  firewall.enable = true # ERROR: Option paths are not written with dots
}
services = {
  openssh = { enable = true }
  "${"x"}" = {} # ERROR: Computed key in a group of options
}
