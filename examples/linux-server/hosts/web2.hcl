# web2: staging for the site; same modules as web1, no backups.
#
#   sudo gocfg switch --host web2
imports = ["../modules"]

networking {
  host_name = "web2"
}

web {
  enable      = true
  server_name = "staging.example.org"
}
