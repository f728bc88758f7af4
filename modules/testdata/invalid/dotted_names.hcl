# A NixOS habit: option paths written with dots. Each is one error at
# the name, which says how HCL writes the path.
services.openssh.enable = true # ERROR: Option paths are not written with dots
users "alice" {
  openssh.authorized_keys = [] # ERROR: Option paths are not written with dots
}
macos.defaults."com.apple.dock".autohide = true # ERROR: Option paths are not written with dots
networking {
  host_name = "atlas"
}
