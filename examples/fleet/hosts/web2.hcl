# web2: the second web server, in another data centre.
#
#   gocfg deploy --on @web
imports = ["../modules/base.hcl", "../modules/web.hcl"]

deployment {
  target_host = "web2.example.org"
  tags        = ["web", "us"]
  health_checks = [
    { command = "systemctl is-active nginx" },
    { url = "http://web2.example.org/health", timeout = 5 },
  ]
}
