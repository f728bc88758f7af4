# The linux-workstation example's host atlas, as it can be switched on a
# fresh Debian 12 container with no network, whose apt sees only the
# local repository of .ci/rootfs.sh. Each override stands for something a
# package of environment.system_packages would bring:
#   - the packages themselves, which cannot be installed here;
#   - users.alice.shell: /usr/bin/zsh comes from the zsh package;
#   - groups.docker: the docker group comes from the docker.io package.
# atlas.hcl and atlas-services.hcl import this file.
imports = ["/srv/examples/linux-workstation/hosts/atlas.hcl"]

environment {
  system_packages = force([])
}

users "alice" {
  shell = force("/bin/bash")
}

groups "docker" {}
