# NixOS-style modules: an option of our own turns a group of settings on.
imports = ["./desktop.hcl"]

profile {
  desktop = true
}
