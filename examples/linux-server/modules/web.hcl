# nginx serving one static site.
option "web.enable" {
  type        = bool
  default     = false
  description = "Serve a static site with nginx."
}

option "web.server_name" {
  type        = str
  description = "Host name the site answers to."
  example     = "www.example.org"
}

option "web.root" {
  type        = path
  default     = "/srv/www"
  description = "Folder the site is served from."
}

option "web.workers" {
  type        = int
  default     = 2
  description = "Number of nginx worker processes."
}

locals {
  web   = config.web
  nginx = "/usr/sbin/nginx -g 'daemon on; master_process on;'"
}

environment {
  when = local.web.enable

  system_packages = ["nginx-light"]

  # A copy, not a link: a link's content changes only when the switch
  # has succeeded, after nginx was started or reloaded, which would read
  # the previous file (or none at all on the first switch).
  etc "nginx/nginx.conf" {
    method = "copy"
    text   = <<-EOT
      user www-data;
      worker_processes ${local.web.workers};
      pid /run/nginx.pid;

      events {
        worker_connections 768;
      }

      http {
        include /etc/nginx/mime.types;
        default_type application/octet-stream;
        sendfile on;
        server_tokens off;
        access_log /var/log/nginx/access.log;
        error_log /var/log/nginx/error.log;

        server {
          listen 80;
          listen [::]:80;
          server_name ${local.web.server_name};
          root ${local.web.root};

          location / {
            try_files $uri $uri/ =404;
          }
        }
      }
    EOT
  }
}

# Replaces the unit the Debian package ships, as a NixOS module would.
# reload_triggers names what nginx reads on reload: a switch that changes
# only nginx.conf (web.workers, say) reloads nginx, which keeps serving
# while it takes the new configuration; any other change to the unit
# restarts it.
systemd {
  when = local.web.enable

  services "nginx" {
    description       = "nginx for ${local.web.server_name}"
    after             = ["network-online.target"]
    wants             = ["network-online.target"]
    wanted_by         = ["multi-user.target"]
    type              = "forking"
    exec_start_pre    = ["${local.nginx} -t -q"]
    exec_start        = local.nginx
    exec_reload       = "${local.nginx} -s reload"
    restart           = "on-failure"
    reload_triggers   = [config.environment.etc["nginx/nginx.conf"].text]
    service_config = {
      PIDFile        = "/run/nginx.pid"
      KillMode       = "mixed"
      TimeoutStopSec = "5"
    }
  }
}

users "deploy" {
  when   = local.web.enable
  groups = ["www-data"]
}
