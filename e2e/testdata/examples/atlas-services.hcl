# atlas once alice's user manager runs: the example's Syncthing service,
# with a stand-in for the syncthing program, which is not installed here.
imports = ["./atlas-fresh.hcl"]

home "alice" {
  systemd {
    services "syncthing" {
      exec_start = force("/bin/sleep infinity")
    }
  }
}
