# The nixos-workstation example's host ember on a fresh Debian 12
# container with no network, whose apt sees only the local repository of
# .ci/rootfs.sh (which the test turns on, then installs locales and sudo
# from it, as a Debian install has them). Only what that repository
# lacks is changed: the host's packages (vim, git, ..., firefox-esr) are
# replaced by hello. force() replaces the whole merged list, so the
# packages the modules add (zsh, nftables, network-manager,
# openssh-server; all in the local repository) are listed again.
imports = ["/srv/examples/nixos-workstation/hosts/ember.hcl"]

environment {
  system_packages = force(["zsh", "nftables", "network-manager", "openssh-server", "hello"])
}
