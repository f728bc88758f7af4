# The first switch of atlas on a fresh machine: alice is created by this
# very switch, so her systemd user manager cannot run yet (loginctl
# enable-linger needs the user to exist) and her user services wait for
# atlas-services.hcl.
imports = ["./atlas-fresh.hcl"]

home "alice" {
  systemd {
    services = force({})
  }
}
