# Services of Alice's systemd user manager.
home "alice" {
  systemd {
    services "syncthing" {
      description = "Syncthing for ${config.me.full_name}"
      after       = ["network-online.target"]
      wants       = ["network-online.target"]
      exec_start  = "/usr/bin/syncthing serve --no-browser --no-restart --logflags=0"
      restart     = "on-failure"
      environment = {
        STNORESTART = "1"
      }
      wanted_by = ["default.target"]
    }
  }
}
