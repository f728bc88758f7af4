# Nix's bare paths: in gocfg a path is a string.
imports = [ ../modules/base.hcl ] # ERROR: Paths are strings
home "alice" {
  files "x" { source = ./dotfiles/x } # ERROR: Paths are strings
}
