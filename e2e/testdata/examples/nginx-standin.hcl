# nginx is not installed here: the linux-server example's nginx service
# runs a stand-in that forks and writes /run/nginx.pid as nginx does and,
# like nginx, reads /etc/nginx/nginx.conf when it starts and again when it
# is reloaded (SIGHUP, which `nginx -s reload` sends); it copies what it
# read to /run/nginx-standin.conf.
environment {
  # A copy: it must be there when the switch starts nginx.
  etc "nginx-standin.sh" {
    method = "copy"
    text   = <<-EOT
      conf() {
        cat /etc/nginx/nginx.conf >/run/nginx-standin.conf.new &&
          mv /run/nginx-standin.conf.new /run/nginx-standin.conf
      }
      trap conf HUP
      conf
      while :; do sleep 1 & wait $!; done
    EOT
  }
}

systemd {
  services "nginx" {
    exec_start_pre = force([])
    exec_start     = force("/bin/sh -c \"/bin/sh /etc/nginx-standin.sh & echo $$! >/run/nginx.pid\"")
    exec_reload    = force("/bin/kill -HUP $MAINPID")
  }
}
