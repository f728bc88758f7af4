# What every host of the fleet gets, and how gocfg deploy reaches it.
deployment {
  # ssh logs in as ops (your ~/.ssh/config may say so instead) and the
  # switch gets root with sudo -n: ops needs passwordless sudo.
  target_user = "ops"
}

users "ops" {
  description = "Deploys with gocfg"
  shell       = "/bin/bash"
  groups      = ["sudo"]
  create_home = true
}

environment {
  # sshd's hardening: if a change here ever locks ssh out, the host rolls
  # itself back (deployment.magic_rollback is on by default).
  etc "ssh/sshd_config.d/10-fleet.conf" {
    source = "../files/sshd-fleet.conf"
  }

  etc "motd" {
    text = "${config.networking.host_name}: managed by gocfg deploy from the fleet repository.\n"
  }
}

networking {
  host_name = host.name
}
