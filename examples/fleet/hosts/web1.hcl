# web1: the first web server.
#
#   gocfg deploy --on web1
imports = ["../modules/base.hcl", "../modules/web.hcl"]

deployment {
  target_host = "web1.example.org"
  tags        = ["web", "eu"]
  health_checks = [
    { command = "systemctl is-active nginx" },
    { url = "http://web1.example.org/health", timeout = 5 },
  ]
}
