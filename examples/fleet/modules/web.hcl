# The web role: nginx serving the fleet's page.
environment {
  system_packages = ["nginx-light"]

  etc "nginx/sites-available/default" {
    source = "../files/site.conf"
  }
}

systemd {
  services "nginx-reload" {
    description = "Reloads nginx when its site changes"
    type        = "oneshot"
    exec_start  = "/bin/systemctl reload-or-restart nginx.service"
    wanted_by   = ["multi-user.target"]
    # Active once it ran, so that a change of the site's file, which
    # changes this unit, restarts it: it runs again.
    service_config   = { RemainAfterExit = "yes" }
    restart_triggers = [file("../files/site.conf")]
  }
}
