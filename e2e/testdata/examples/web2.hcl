# The linux-server example's host web2 on a fresh Debian 12 container with
# no network: none of its packages can be installed, so they are dropped,
# and nginx is replaced by a stand-in.
imports = [
  "/srv/examples/linux-server/hosts/web2.hcl",
  "./nginx-standin.hcl",
]

environment {
  system_packages = force([])
}
