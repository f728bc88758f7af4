# home.<user>.programs.ssh (home-manager's programs.ssh): the user's
# ~/.ssh/config, written with ssh_config_encode. This declaration adds
# "programs.ssh.*" to the home submodule of core/home.hcl; the file is
# a home_files entry. What ssh would refuse, or read otherwise than
# meant, is found by ssh_config_problems (one loop in Go rather than
# for-expressions over every user's blocks here), each problem with its
# option path, so that the asserts below point at the user's line.

option "home" {
  type = attrs_of(submodule({
    "programs.ssh.enable" = {
      type        = bool
      default     = false
      description = "Install the OpenSSH client (the package `openssh-client` on Debian, `openssh-clients` on Fedora, `openssh` on Arch, whose package managers gocfg drives; macOS has `/usr/bin/ssh`) and write the user's `~/.ssh/config` from the options below. The package goes when no user has it on, if gocfg installed it. The file is the first thing the user's ssh reads, before `/etc/ssh/ssh_config`, and ssh keeps the first value it reads for each keyword, so it is written in this order: `include`, then `match_blocks` (see there), then a last `Host *` block with the defaults below (`forward_agent` to `control_persist`) and `extra_config`: a block's setting wins over a default. ssh refuses a config file that others can write or that belongs to someone else than the user or root: the file gocfg links to is read-only, owned by root (when root switches) or by the user (when she runs gocfg herself), and `~/.ssh` is made `0700` when gocfg creates it. An unmanaged `~/.ssh/config` already there is left alone and reported: move it away (or into `extra_config` and `match_blocks`), or let gocfg replace it with `home_files.<user>.\".ssh/config\".force = true`."
      example     = true
    }
    "programs.ssh.include" = {
      type        = list_of(str)
      default     = []
      description = "Other config files to read (`Include`), in this order, at the top of `~/.ssh/config`, before every block: what they set wins over the options here, as ssh keeps a keyword's first value. A relative path is relative to `~/.ssh`; `~` and wildcards work (`config.d/*`: each file, sorted); a file that is not there is skipped without a word."
      example     = ["~/.ssh/config.d/*", "~/.orbstack/ssh/config"]
    }
    "programs.ssh.match_blocks" = {
      type = attrs_of(submodule({
        host = {
          type        = null_or(str)
          default     = null
          description = "The `Host` patterns the block is for, separated by spaces: `*` and `?` are wildcards, a pattern starting with `!` excludes the hosts it matches. Null (the default) is the block's key. Patterns are matched against the name given to ssh (`ssh work`), not `hostname`."
          example     = "gitlab.com gitlab.example.org"
        }
        hostname = {
          type        = null_or(str)
          default     = null
          description = "`HostName`: the real host name or IP address to connect to, when the pattern is a nickname."
          example     = "build01.internal.example.org"
        }
        user = {
          type        = null_or(str)
          default     = null
          description = "`User`: the user name to log in as."
          example     = "git"
        }
        port = {
          type        = null_or(int)
          default     = null
          description = "`Port`: the port to connect to, 1 to 65535 (ssh's default is 22)."
          example     = 2222
        }
        identity_file = {
          type        = list_of(str)
          default     = []
          description = "`IdentityFile`, once for each: the private keys to try, in this order (`~` is the home folder; `%h`, `%r` and the other tokens of ssh_config(5) work)."
          example     = ["~/.ssh/id_ed25519_work"]
        }
        identities_only = {
          type        = null_or(bool)
          default     = null
          description = "`IdentitiesOnly`: offer only the keys of `identity_file` (and those set by ssh's options), not every key the agent holds (a server counts each key offered as a failed login)."
          example     = true
        }
        forward_agent = {
          type        = null_or(bool)
          default     = null
          description = "`ForwardAgent` for these hosts: whether they can use your ssh agent while you are logged in. Null is the top-level `forward_agent`."
          example     = true
        }
        proxy_jump = {
          type        = null_or(str)
          default     = null
          description = "`ProxyJump`: connect through these hosts first (`[user@]host[:port]`, several separated by commas), or `none`."
          example     = "bastion.example.org"
        }
        server_alive_interval = {
          type        = null_or(int)
          default     = null
          description = "`ServerAliveInterval` for these hosts, in seconds (0 is off). Null is the top-level `server_alive_interval`."
          example     = 60
        }
        local_forwards = {
          type = list_of(submodule({
            "bind.address" = {
              type        = null_or(str)
              default     = null
              description = "The address to listen on (null: ssh's `GatewayPorts` decides, `localhost` by default), or, without a port, a Unix socket's path."
            }
            "bind.port" = {
              type        = null_or(int)
              default     = null
              description = "The local port to listen on."
            }
            "host.address" = {
              type        = null_or(str)
              default     = null
              description = "The host to connect to, as the remote machine names it (`localhost` is the remote machine itself), or, without a port, a Unix socket's path there."
            }
            "host.port" = {
              type        = null_or(int)
              default     = null
              description = "The port to connect to."
            }
          }))
          default     = []
          description = "`LocalForward`, once for each: a local port (or socket) whose connections ssh carries to an address the remote machine reaches. An IPv6 address is written in brackets."
          example     = [{ bind = { port = 8080 }, host = { address = "localhost", port = 80 } }]
        }
        remote_forwards = {
          type = list_of(submodule({
            "bind.address" = {
              type        = null_or(str)
              default     = null
              description = "The address to listen on, on the remote machine (its sshd's `GatewayPorts` decides whether it may be other than `localhost`), or, without a port, a Unix socket's path there."
            }
            "bind.port" = {
              type        = null_or(int)
              default     = null
              description = "The remote port to listen on (0: one the server picks)."
            }
            "host.address" = {
              type        = null_or(str)
              default     = null
              description = "The host to connect to, as this machine names it, or, without a port, a Unix socket's path. Null, with `host.port` null too, makes the forward a SOCKS proxy on the remote machine."
            }
            "host.port" = {
              type        = null_or(int)
              default     = null
              description = "The port to connect to."
            }
          }))
          default     = []
          description = "`RemoteForward`, once for each: a port (or socket) on the remote machine whose connections ssh carries to an address this machine reaches."
          example     = [{ bind = { port = 9000 }, host = { address = "localhost", port = 9000 } }]
        }
        extra_options = {
          type        = attrs_of(str)
          default     = {}
          description = "Any other ssh_config(5) keyword of the block, keyword → its arguments, written as they stand after the keyword (sorted by keyword, after the options above): quote an argument with spaces yourself (`IdentityAgent = \"\\\"~/Library/Group Containers/agent.sock\\\"\"`); several arguments are separated by spaces (`SendEnv = \"LANG LC_*\"`), and `ProxyCommand`, `LocalCommand` and `RemoteCommand` take the rest of the line as a shell command. A keyword is a single word of letters; one that a typed option of the block sets too is an error (keywords are compared ignoring case), as are `Host`, `Match` and `Include`, and a value that is empty or holds a line break."
          example     = { ProxyCommand = "cloudflared access ssh --hostname %h", SendEnv = "LANG LC_*" }
        }
      }))
      default     = {}
      description = "Host blocks (`Host <patterns>`), keyed by their patterns (or by a name of your choice with `host` set). ssh keeps the first value it reads for each keyword, so the order matters, and it is: first the blocks whose patterns hold no wildcard, then those with `*` or `?`, then a block whose patterns are just `*`, each group sorted by key; the top-level defaults come after all of them, in a `Host *` block of their own. A block for `*.example.org` then cannot override the `User` of one for `build.example.org`. (home-manager orders its blocks with a DAG; gocfg has none.) Values are written as ssh_config(5) reads them: in double quotes, `\\` and `\"` escaped, when they hold spaces, quotes, `\\`, `#` or `=` (as OpenSSH 8.7 and later read them; an older ssh takes a `\\` in quotes as it stands). A value that is empty or holds a line break or a NUL character is an error, as is a port out of 1 to 65535."
      example = {
        "github.com" = { user = "git", identity_file = ["~/.ssh/id_ed25519_github"], identities_only = true }
        work         = { hostname = "build01.internal.example.org", user = "alice", port = 2222, proxy_jump = "bastion.example.org" }
      }
    }
    "programs.ssh.forward_agent" = {
      type        = null_or(bool)
      default     = null
      description = "`ForwardAgent` in the last `Host *` block: whether every host can use your ssh agent while you are logged in (an administrator of the remote machine can use it too). Null (the default) writes nothing: ssh's default, `no`."
      example     = false
    }
    "programs.ssh.add_keys_to_agent" = {
      type        = null_or(str)
      default     = null
      description = "`AddKeysToAgent`: add a key to the running agent when ssh first uses it: `yes`, `no`, `ask` or `confirm`, optionally followed by a time after which the agent forgets the key (`confirm 1h`), or that time alone. Written as it stands, words separated by spaces. Null writes nothing (ssh's default, `no`)."
      example     = "yes"
    }
    "programs.ssh.compression" = {
      type        = null_or(bool)
      default     = null
      description = "`Compression`: compress the connection. Null writes nothing (ssh's default, `no`)."
      example     = true
    }
    "programs.ssh.server_alive_interval" = {
      type        = null_or(int)
      default     = null
      description = "`ServerAliveInterval`: seconds of silence from the server after which ssh asks it whether it is there (0, ssh's default, never). Null writes nothing."
      example     = 60
    }
    "programs.ssh.server_alive_count_max" = {
      type        = null_or(int)
      default     = null
      description = "`ServerAliveCountMax`: how many of those questions may go unanswered before ssh hangs up. Null writes nothing (ssh's default, 3)."
      example     = 3
    }
    "programs.ssh.hash_known_hosts" = {
      type        = null_or(bool)
      default     = null
      description = "`HashKnownHosts`: write the host names ssh adds to `~/.ssh/known_hosts` hashed, so that the file does not tell where you log in. Null writes nothing (ssh's default `no`, though Debian's `/etc/ssh/ssh_config` sets `yes`)."
      example     = true
    }
    "programs.ssh.user_known_hosts_file" = {
      type        = null_or(str)
      default     = null
      description = "`UserKnownHostsFile`: the file of host keys ssh checks and adds to. Null writes nothing (ssh's default, `~/.ssh/known_hosts ~/.ssh/known_hosts2`)."
      example     = "~/.ssh/known_hosts"
    }
    "programs.ssh.control_master" = {
      type        = null_or(enum(["yes", "no", "ask", "auto", "autoask"]))
      default     = null
      description = "`ControlMaster`: share one connection between the ssh sessions to a host (`auto`: use one if there is one, else start it). Null writes nothing (ssh's default, `no`). Needs `control_path`."
      example     = "auto"
    }
    "programs.ssh.control_path" = {
      type        = null_or(str)
      default     = null
      description = "`ControlPath`: the socket of a shared connection, with ssh_config(5)'s tokens (`%C`, a hash of the host, port and user, keeps it short)."
      example     = "~/.ssh/master-%C"
    }
    "programs.ssh.control_persist" = {
      type        = null_or(str)
      default     = null
      description = "`ControlPersist`: how long a shared connection stays open after its last session ends (`10m`; `yes` is for ever, `no` not at all)."
      example     = "10m"
    }
    "programs.ssh.extra_config" = {
      type        = lines
      default     = ""
      description = "Text added as it stands at the end of `~/.ssh/config`, in the last `Host *` block after the defaults above: one ssh_config(5) keyword and its arguments a line. A `Host` or `Match` line in it starts a block of its own; values set here lose to those of `match_blocks` for the hosts they match."
      example     = "SetEnv TERM=xterm-256color\nVisualHostKey yes"
    }
  }))
}

locals {
  ssh = { for user, h in config.home : user => h.programs.ssh if h.programs.ssh.enable }
  # What ssh_config_encode refuses, by user, found once; ssh_problems
  # lists them all, each with its kind (the assert that reports it).
  ssh_user_problems = { for user, s in local.ssh : user => ssh_config_problems(s, "home.${jsonencode(user)}.programs.ssh") }
  ssh_problems      = flatten(values(local.ssh_user_problems))
  ssh_kinds = {
    for kind in ["line", "keyword", "structure", "empty", "range", "twice", "value"] : kind => [for p in local.ssh_problems : p if p.kind == kind]
  }
  # The OpenSSH client's package, by distribution: only where gocfg
  # drives the package manager (apt, dnf, pacman); macOS has ssh.
  ssh_package = lookup({ debian = "openssh-client", fedora = "openssh-clients", arch = "openssh" }, host.distro, "")
  # Users who set ssh options but left programs.ssh.enable false.
  ssh_unused = [
    for user, h in config.home : user
    if !h.programs.ssh.enable && (length(h.programs.ssh.include) > 0 || length(h.programs.ssh.match_blocks) > 0 || h.programs.ssh.extra_config != "" || h.programs.ssh.forward_agent != null || h.programs.ssh.add_keys_to_agent != null || h.programs.ssh.compression != null || h.programs.ssh.server_alive_interval != null || h.programs.ssh.server_alive_count_max != null || h.programs.ssh.hash_known_hosts != null || h.programs.ssh.user_known_hosts_file != null || h.programs.ssh.control_master != null || h.programs.ssh.control_path != null || h.programs.ssh.control_persist != null)
  ]
}

environment {
  system_packages = length(local.ssh) > 0 && local.ssh_package != "" ? [local.ssh_package] : []
}

home_files = {
  for user, s in local.ssh : user => {
    ".ssh/config" = {
      generated_by = "home.${user}.programs.ssh"
      text         = "# Written by gocfg from home.${user}.programs.ssh; replaced by every switch.\n${ssh_config_encode(s)}"
    }
  }
  # A user whose options an assert below refuses gets no file: the
  # assert points at her line, ssh_config_encode's own error at this one.
  if length(local.ssh_user_problems[user]) == 0
}

warn {
  condition = length(local.ssh_unused) > 0
  message   = "options are set but programs.ssh.enable is false, so gocfg writes no ~/.ssh/config."
  at        = [for user in local.ssh_unused : "home.${jsonencode(user)}.programs.ssh"]
}

# One assert for each kind of problem, so that each path gets its own
# kind's message: one message whatever the path for most kinds; those
# of "range" and "value" name their option, and several are joined; with
# several keywords set twice, one message names each one's typed option.

assert {
  condition = length(local.ssh_kinds.line) == 0
  message   = join(" ", distinct([for p in local.ssh_kinds.line : p.message]))
  at        = [for p in local.ssh_kinds.line : p.at]
}

assert {
  condition = length(local.ssh_kinds.keyword) == 0
  message   = join(" ", distinct([for p in local.ssh_kinds.keyword : p.message]))
  at        = [for p in local.ssh_kinds.keyword : p.at]
}

assert {
  condition = length(local.ssh_kinds.structure) == 0
  message   = join(" ", distinct([for p in local.ssh_kinds.structure : p.message]))
  at        = [for p in local.ssh_kinds.structure : p.at]
}

assert {
  condition = length(local.ssh_kinds.empty) == 0
  message   = join(" ", distinct([for p in local.ssh_kinds.empty : p.message]))
  at        = [for p in local.ssh_kinds.empty : p.at]
}

assert {
  condition = length(local.ssh_kinds.range) == 0
  message   = join(" ", distinct([for p in local.ssh_kinds.range : p.message]))
  at        = [for p in local.ssh_kinds.range : p.at]
}

assert {
  condition = length(local.ssh_kinds.twice) == 0
  message = (length(local.ssh_kinds.twice) == 1
    ? local.ssh_kinds.twice[0].message
    : "these keywords are also set by typed options: ${join(", ", [for p in local.ssh_kinds.twice : "${p.keyword} (${p.by})"])}. Set each in one place."
  )
  at        = [for p in local.ssh_kinds.twice : p.at]
}

assert {
  condition = length(local.ssh_kinds.value) == 0
  message   = join(" ", distinct([for p in local.ssh_kinds.value : p.message]))
  at        = [for p in local.ssh_kinds.value : p.at]
}
