# What every server gets: admin accounts, a locked-down sshd, basic tools.
locals {
  admins = {
    alice = { uid = 1000, description = "Alice Liddell" }
    bob   = { uid = 1001, description = "Bob Builder" }
  }
}

users = {
  for name, u in local.admins : name => {
    uid         = u.uid
    description = u.description
    shell       = "/bin/bash"
    groups      = ["sudo", "adm"]
    create_home = true
  }
}

users "deploy" {
  uid         = 1100
  description = "Deploys the site"
  home        = "/var/lib/deploy"
  shell       = default("/usr/sbin/nologin")
  create_home = true
}

groups "ssh-users" {
  gid     = 900
  members = concat(keys(local.admins), ["deploy"])
}

environment {
  package_manager = "apt"
  system_packages = ["curl", "htop", "rsync", "unattended-upgrades", "vim-tiny"]

  etc "ssh/sshd_config.d/10-hardening.conf" {
    source = "../files/sshd-hardening.conf"
  }

  etc "motd" {
    text = <<-EOT
      ${config.networking.host_name}: managed by gocfg, changes made by hand are undone.
    EOT
  }
}
