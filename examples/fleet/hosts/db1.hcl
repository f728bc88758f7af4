# db1: the database, behind the bastion, on another SSH port.
#
#   gocfg deploy --on @db --plan
imports = ["../modules/base.hcl"]

environment {
  system_packages = ["postgresql"]
}

deployment {
  target_host     = "10.0.2.11"
  target_port     = 2222
  tags            = ["db"]
  ssh_options     = ["ProxyJump=bastion.example.org"]
  confirm_timeout = 60
  health_checks = [
    { command = "pg_isready --quiet", timeout = 15 },
  ]
}
