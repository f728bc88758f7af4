# NixOS's `with pkgs; [ vim git ]`: gocfg has no with and no pkgs; a
# package is its name, a string.
environment {
  system_packages = with pkgs; [vim git] # ERROR: No with in gocfg
}
