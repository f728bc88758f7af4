# web1: the public web server for www.example.org (Debian 12).
#
#   sudo gocfg switch --host web1
imports = ["../modules"] # every *.hcl in modules/, in name order

networking {
  host_name = "web1"
}

web {
  enable      = true
  server_name = "www.example.org"
  workers     = 4
}

backup {
  enable      = true
  paths       = ["/srv/www", "/etc/nginx"]
  on_calendar = "*-*-* 03:30:00"
}

# The site is deployed with rsync over ssh, so deploy needs a real shell
# here (modules/base.hcl defaults it to nologin).
users "deploy" {
  shell = "/bin/bash"
}
