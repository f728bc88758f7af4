# NixOS's functions gocfg does not have by that name: the error says
# which it has instead (cmd/gocfg's check_nix_habits shows the hints).
networking {
  host_name = mkIf(true, "atlas") # ERROR: Call to unknown function
}
environment {
  system_packages = concat(
    mkBefore(["git"]), # ERROR: Call to unknown function
    optionals(true, ["vim"]), # ERROR: Call to unknown function
    [pkgs.htop], # ERROR: Unknown variable
  )
}
time {
  time_zone = mkForce("UTC") # ERROR: Call to unknown function
}
