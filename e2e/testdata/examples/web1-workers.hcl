# web1 with another number of nginx workers: of everything web1 manages,
# only /etc/nginx/nginx.conf changes, and nginx is reloaded by its
# reload_triggers.
imports = ["./web1.hcl"]

web {
  workers = force(8)
}
