# services.nginx (NixOS's services.nginx.enable and virtualHosts): the
# Debian package nginx, one server block per virtual host in
# /etc/nginx/conf.d/gocfg-<name>.conf (which Debian's nginx.conf includes
# in its http block), each checked with `nginx -t` when the plan is made,
# nginx reloaded when a file changes, and nginx.service enabled and
# started through systemd.units (which puts its earlier state back when
# the option goes).

option "services.nginx.enable" {
  type        = bool
  default     = false
  description = "Run the nginx web server: install the package `nginx`, enable and start `nginx.service` (its earlier state is put back when the option goes), and write each of `virtual_hosts` to `/etc/nginx/conf.d/gocfg-<name>.conf`, which Debian's `/etc/nginx/nginx.conf` includes in its `http` block. Each file is checked with `nginx -t` when the plan is made, alone in a throw-away main configuration (so a server block that nginx refuses fails the plan; a clash with the machine's other files, such as two `default_server` on one port, is found only at the switch; the check writes only in a private folder it makes under `/tmp` and removes, and nginx -t binds the `listen` ports for an instant and opens the log files an `extra_config` names; it is skipped while nginx is not installed yet and for a user other than root), and nginx is reloaded (`nginx -t && systemctl reload nginx`: the running server keeps its old configuration if the whole one is refused, and the switch reports the failed hook; the new workers take over a moment after the switch) when a file is created, changed or removed. Debian's own `sites-enabled/default` (port 80, `default_server`) is left alone. Turning it off removes the files (and the package, if gocfg installed it). Linux only."
  example     = true
}

option "services.nginx.virtual_hosts" {
  type = attrs_of(submodule({
    server_names = {
      type        = list_of(str)
      default     = []
      description = "Host names this server answers (`server_name`). Empty means the virtual host's own name."
      example     = ["example.org", "www.example.org"]
    }
    listen = {
      type        = list_of(str)
      default     = ["80", "[::]:80"]
      description = "`listen` directives, one per item: a port, `address:port`, or with parameters (`\"443 ssl\"`, `\"[::]:80\"`, `\"8080 default_server\"`). The default listens on port 80 over IPv4 and IPv6, as Debian's default site and NixOS's virtual hosts do; on a machine without IPv6, set `[\"80\"]`."
      example     = ["80", "[::]:80"]
    }
    root = {
      type        = null_or(str)
      default     = null
      description = "Folder the files are served from (`root`). Unset leaves nginx's default."
      example     = "/var/www/example"
    }
    locations = {
      type = attrs_of(submodule({
        proxy_pass = {
          type        = null_or(str)
          default     = null
          description = "Pass requests to this URL (`proxy_pass`)."
          example     = "http://127.0.0.1:3000"
        }
        return = {
          type        = null_or(str)
          default     = null
          description = "Answer at once (`return`): a status code, then a URL or a text, as nginx writes it; a text with spaces goes in double quotes."
          example     = "301 https://example.org$request_uri"
        }
        extra_config = {
          type        = lines
          default     = ""
          description = "nginx directives added to the `location` block as they are (checked by `nginx -t`)."
          example     = "add_header Cache-Control no-store;"
        }
      }))
      default     = {}
      description = "`location` blocks, keyed by what follows `location` (`/`, `/api/`, `= /health`, `~ \\.php$`)."
      example     = { "/" = { proxy_pass = "http://127.0.0.1:3000" }, "= /health" = { return = "200 \"ok\"" } }
    }
    extra_config = {
      type        = lines
      default     = ""
      description = "nginx directives added to the `server` block as they are (checked by `nginx -t`)."
      example     = "client_max_body_size 10m;"
    }
  }))
  default     = {}
  description = "nginx virtual hosts (`server` blocks), keyed by a name used for the file `/etc/nginx/conf.d/gocfg-<name>.conf` (letters, digits, `.`, `_`, `-`). Host names, ports, the root, location paths, `proxy_pass` and `return` are refused (plan-time error) when they hold what would end or open a directive or block (`;`, `{`, `}`, a line break, `#`), a quote (`return` may have whole double-quoted texts) or a backslash (a location path may have one inside, for its regular expression); `extra_config` must have as many `{` as `}`."
  example = {
    "example.org" = {
      server_names = ["example.org", "www.example.org"]
      root         = "/var/www/example"
      locations    = { "/api/" = { proxy_pass = "http://127.0.0.1:3000" } }
    }
  }
}

locals {
  nginx_on = config.services.nginx.enable && host.os == "linux"
  # One server block per virtual host.
  nginx_vhosts = {
    for name, v in config.services.nginx.virtual_hosts : name => join("\n", concat(
      [
        "# Written by gocfg (services.nginx.virtual_hosts.\"${name}\"); replaced by every switch.",
        "server {",
      ],
      [for l in v.listen : "    listen ${l};"],
      ["    server_name ${join(" ", length(v.server_names) > 0 ? v.server_names : [name])};"],
      v.root == null ? [] : ["    root ${v.root};"],
      v.extra_config == "" ? [] : [for l in split("\n", trimspace(v.extra_config)) : trimspace(l) == "" ? "" : "    ${trimspace(l)}"],
      flatten([for path in sort(keys(v.locations)) : concat(
        ["", "    location ${path} {"],
        v.locations[path].proxy_pass == null ? [] : ["        proxy_pass ${v.locations[path].proxy_pass};"],
        v.locations[path].return == null ? [] : ["        return ${v.locations[path].return};"],
        v.locations[path].extra_config == "" ? [] : [for l in split("\n", trimspace(v.locations[path].extra_config)) : trimspace(l) == "" ? "" : "        ${trimspace(l)}"],
        ["    }"],
      )]),
      ["}", ""],
    ))
  }
  # What could end or open a directive or a block, or start a comment,
  # a quoted string or an escape, in a single nginx argument.
  nginx_word_re   = "^[^\\s;{}#\"'\\\\]+$"
  nginx_listen_re = "^[^\\n;{}#\"'\\\\]*[^\\s;{}#\"'\\\\][^\\n;{}#\"'\\\\]*$"
  nginx_path_re   = "^[^\\n;{}#\"']*[^\\s;{}#\"'\\\\]$"
  nginx_return_re = "^([^\\n;{}#\"'\\\\]|\"[^\\n\"\\\\]*\")+$"

  # The virtual hosts' values that the asserts below refuse, as option
  # paths (for each assert's at: the user's line that sets them).
  nginx_bad_names = [
    for name, v in config.services.nginx.virtual_hosts : "services.nginx.virtual_hosts.${jsonencode(name)}" if !can(regex("^[A-Za-z0-9][A-Za-z0-9._-]*$", name))
  ]
  # (Each rule its own list and assert, so that the message says the
  # rule the value breaks.)
  nginx_bad_words = distinct(flatten([for name, v in config.services.nginx.virtual_hosts : [
    for part in concat(
      [for s in v.server_names : "server_names" if !can(regex(local.nginx_word_re, s))],
      v.root == null ? [] : [for r in [v.root] : "root" if !can(regex(local.nginx_word_re, r))],
      [for p, loc in v.locations : "locations.${jsonencode(p)}.proxy_pass" if loc.proxy_pass != null && !can(regex(local.nginx_word_re, coalesce(loc.proxy_pass, "x")))],
    ) : "services.nginx.virtual_hosts.${jsonencode(name)}.${part}"
  ]]))
  nginx_bad_listen = [
    for name, v in config.services.nginx.virtual_hosts : "services.nginx.virtual_hosts.${jsonencode(name)}.listen" if length([for l in v.listen : l if !can(regex(local.nginx_listen_re, l))]) > 0
  ]
  nginx_bad_paths = flatten([for name, v in config.services.nginx.virtual_hosts : [
    for p, loc in v.locations : "services.nginx.virtual_hosts.${jsonencode(name)}.locations.${jsonencode(p)}" if !can(regex(local.nginx_path_re, p))
  ]])
  nginx_bad_returns = flatten([for name, v in config.services.nginx.virtual_hosts : [
    for p, loc in v.locations : "services.nginx.virtual_hosts.${jsonencode(name)}.locations.${jsonencode(p)}.return" if loc.return != null && !can(regex(local.nginx_return_re, coalesce(loc.return, "x")))
  ]])
  nginx_no_listen = [
    for name, v in config.services.nginx.virtual_hosts : "services.nginx.virtual_hosts.${jsonencode(name)}" if length(v.listen) == 0
  ]
  nginx_bad_braces = flatten([for name, v in config.services.nginx.virtual_hosts : [
    for part in concat(
      length(regexall("\\{", v.extra_config)) == length(regexall("\\}", v.extra_config)) ? [] : ["extra_config"],
      [for p, loc in v.locations : "locations.${jsonencode(p)}.extra_config" if length(regexall("\\{", loc.extra_config)) != length(regexall("\\}", loc.extra_config))],
    ) : "services.nginx.virtual_hosts.${jsonencode(name)}.${part}"
  ]])
}

environment {
  system_packages = local.nginx_on ? ["nginx"] : []

  etc = {
    for name, text in local.nginx_vhosts : "nginx/conf.d/gocfg-${name}.conf" => {
      text = text
      # nginx -t cannot read the file from standard input (it reads a
      # configuration file up to the size fstat gives it, 0 for a pipe),
      # and the candidate belongs in an http block. So the check copies
      # it into a private folder (mktemp -d under /tmp, mode 0700,
      # removed on exit) next to a main configuration that includes it,
      # and tests that, with the pid file, lock file, error and access
      # logs and temporary folders all in that folder: nothing on the
      # machine changes, except that nginx -t binds the ports of listen
      # for an instant (a port nginx already has is not an error in a
      # test) and opens the log files an extra_config names itself.
      # Dynamic modules are loaded as nginx.conf does. Without nginx (the
      # switch that installs it) there is nothing to test with, and a
      # user other than root could not bind the ports: then the
      # on_change's nginx -t is the check.
      check = <<-SH
        [ -x /usr/sbin/nginx ] && [ "$(id -u)" = 0 ] || exit 0
        d=$(mktemp -d /tmp/gocfg-nginx-check.XXXXXXXX) || exit 1
        trap 'rm -rf "$d"' EXIT
        cat %s >"$d/server.conf" || exit 1
        cat >"$d/nginx.conf" <<EOF || exit 1
        pid $d/nginx.pid;
        lock_file $d/nginx.lock;
        error_log $d/error.log;
        include /etc/nginx/modules-enabled/*.conf;
        events {}
        http {
          access_log $d/access.log;
          client_body_temp_path $d/client_body;
          proxy_temp_path $d/proxy;
          fastcgi_temp_path $d/fastcgi;
          uwsgi_temp_path $d/uwsgi;
          scgi_temp_path $d/scgi;
          include $d/server.conf;
        }
        EOF
        /usr/sbin/nginx -q -t -p "$d/" -e "$d/error.log" -c "$d/nginx.conf"
      SH
      # On removal the file is gone (and nginx too, when gocfg removed
      # the package). A running nginx is reloaded only if the whole
      # configuration passes nginx -t; if it does not, the switch reports
      # the hook's failure and nginx keeps serving the configuration it
      # had, while the files on disk are the new ones (a restart or a
      # boot would fail): fix the configuration and switch again.
      on_change = <<-SH
        [ -x /usr/sbin/nginx ] || exit 0
        systemctl -q is-active nginx.service || exit 0
        /usr/sbin/nginx -t && exec systemctl reload nginx.service
      SH
    } if local.nginx_on
  }
}

systemd {
  units "nginx.service" {
    when   = local.nginx_on
    enable = true
  }
}

assert {
  condition = length(local.nginx_bad_names) == 0
  message   = "the name is used in a file name: letters, digits, '.', '_' and '-', not starting with '.' or '-'."
  at        = local.nginx_bad_names
}

assert {
  condition = length(local.nginx_bad_words) == 0
  message   = "must not be empty nor hold spaces, line breaks, ';', '{', '}', '#', quotes or backslashes; write such directives in extra_config."
  at        = local.nginx_bad_words
}

assert {
  condition = length(local.nginx_bad_listen) == 0
  message   = "a listen address must not be blank nor hold ';', '{', '}', '#', quotes, backslashes or line breaks; write such directives in extra_config."
  at        = local.nginx_bad_listen
}

assert {
  condition = length(local.nginx_bad_paths) == 0
  message   = "a location path must not be empty, hold ';', '{', '}', '#', quotes or line breaks, nor end in a space or a backslash."
  at        = local.nginx_bad_paths
}

assert {
  condition = length(local.nginx_bad_returns) == 0
  message   = "return must not hold ';', '{', '}', '#' or single quotes outside whole \"double-quoted\" texts, nor backslashes or line breaks at all."
  at        = local.nginx_bad_returns
}

assert {
  condition = length(local.nginx_no_listen) == 0
  message   = "a virtual host needs at least one listen address."
  at        = local.nginx_no_listen
}

assert {
  condition = length(local.nginx_bad_braces) == 0
  message   = "extra_config needs as many '{' as '}'."
  at        = local.nginx_bad_braces
}

warn {
  condition = config.services.nginx.enable && host.os != "linux"
  message   = "applied on Linux only for now; on macOS install nginx with Homebrew and configure it there."
  at        = "services.nginx.enable"
}
