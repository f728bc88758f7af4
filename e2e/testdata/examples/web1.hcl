# The linux-server example's host web1 on a fresh Debian 12 container with
# no network: none of its packages can be installed, so they are dropped,
# and nginx is replaced by a stand-in. (restic is missing too, but only
# the backup timer starts it, never the switch.)
imports = [
  "/srv/examples/linux-server/hosts/web1.hcl",
  "./nginx-standin.hcl",
]

environment {
  system_packages = force([])
}
