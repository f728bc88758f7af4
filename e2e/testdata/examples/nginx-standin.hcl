# nginx is not installed here: the linux-server example's nginx service
# runs a stand-in that forks and writes /run/nginx.pid as nginx does.
systemd {
  services "nginx" {
    exec_start_pre = force([])
    exec_start     = force("/bin/sh -c \"sleep infinity & echo $$! >/run/nginx.pid\"")
    exec_reload    = force("/bin/true")
  }
}
