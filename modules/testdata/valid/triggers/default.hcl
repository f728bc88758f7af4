# restart_triggers and reload_triggers read other options lazily: a
# service names the configuration files it reads, and a change to one of
# them changes the service's unit. The files are defined after the
# services and depend on an option of this module.
systemd {
  services "nginx" {
    exec_start      = "/usr/sbin/nginx"
    exec_reload     = "/usr/sbin/nginx -s reload"
    reload_triggers = [config.environment.etc["nginx/nginx.conf"].text]
  }
}

home "alice" {
  systemd {
    services "sync" {
      exec_start       = "/usr/bin/sync-daemon"
      restart_triggers = [config.home.alice.files[".config/sync/config"].text, "v2"]
    }
  }
  files ".config/sync/config" {
    text = "peers = ${config.web.workers}\n"
  }
}

option "web.workers" {
  type    = int
  default = 2
}

web {
  workers = 4
}

environment {
  etc "nginx/nginx.conf" {
    text = "worker_processes ${config.web.workers};\n"
  }
}
