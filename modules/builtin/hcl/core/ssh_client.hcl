# programs.ssh.known_hosts and programs.ssh.extra_config (NixOS's
# programs.ssh.knownHosts and programs.ssh.extraConfig): the system-wide
# SSH client files, /etc/ssh/ssh_known_hosts (which ssh reads on Linux
# and on macOS, besides the user's ~/.ssh/known_hosts) and the drop-in
# /etc/ssh/ssh_config.d/50-gocfg.conf (Linux only). The keys are checked
# here, at their lines: ssh skips a known_hosts line it cannot read
# without a word, and `ssh-keygen -l`, the only reader of the file that
# could serve as a check, skips them too (and @cert-authority lines),
# failing only when no line at all is good. The drop-in is checked with
# `ssh -G`.

option "programs.ssh.known_hosts" {
  type = attrs_of(submodule({
    host_names = {
      type        = null_or(list_of(str))
      default     = null
      description = "Host names or patterns the key is for, as `ssh_known_hosts` takes them: `host.example`, an address, `*.example.org`, `!bad.example.org`, or `[host.example]:2222` for a server on another port than 22. Unset means the entry's name alone. Single words: no blanks, commas or line breaks."
      example     = ["gitlab.example.org", "10.0.0.5", "[gitlab.example.org]:2222"]
    }
    extra_host_names = {
      type        = list_of(str)
      default     = []
      description = "More host names for the key, after `host_names` (or after the entry's name, when `host_names` is unset)."
      example     = ["gitlab"]
    }
    public_key = {
      type        = null_or(str)
      description = "The host's public key, one line `<type> <base64> [comment]` as in a `.pub` file or as `ssh-keyscan` prints it after the host name: `ssh-ed25519 AAAA...`. Known types: `ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`, `ecdsa-sha2-nistp384`, `ecdsa-sha2-nistp521`, `sk-ssh-ed25519@openssh.com` and `sk-ecdsa-sha2-nistp256@openssh.com`. Set exactly one of `public_key` and `public_key_file`."
      example     = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGj0yVv1mZc7cJVuPa3pZ0a6u9gdp3kC9oO4oR1b9Xk6"
    }
    public_key_file = {
      type        = null_or(path)
      description = "File that holds the host's public key (such as a copy of the server's `/etc/ssh/ssh_host_ed25519_key.pub`), relative to the module that sets it. It is read when the configuration is evaluated, and must hold one key as `public_key` describes. Set exactly one of `public_key` and `public_key_file`."
      example     = "./keys/gitlab.pub"
    }
    cert_authority = {
      type        = bool
      default     = false
      description = "The key is a certificate authority's (`@cert-authority`): ssh then trusts, for these host names, any host certificate it signed, and not the key itself as a host key. Host patterns such as `*.example.org` suit it."
      example     = true
    }
  }))
  default     = {}
  description = "Public keys of SSH servers, known to every user of the machine, so that `ssh` does not ask whether to trust them at the first connection (NixOS's `programs.ssh.knownHosts`). gocfg writes them to `/etc/ssh/ssh_known_hosts`, one line per entry (`[@cert-authority ]names type key`), which ssh reads besides the user's `~/.ssh/known_hosts`, on Linux and on macOS: a server whose key is in either file is trusted. The entry's name is its host name unless `host_names` is set. An unmanaged `/etc/ssh/ssh_known_hosts` already there stops the switch: move its lines into this option first. No entry left removes the file."
  example = {
    "gitlab.example.org" = { public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGj0yVv1mZc7cJVuPa3pZ0a6u9gdp3kC9oO4oR1b9Xk6" }
    "example-ca"         = { host_names = ["*.example.org"], cert_authority = true, public_key_file = "./keys/ca.pub" }
  }
}

option "programs.ssh.extra_config" {
  type        = lines
  default     = ""
  description = "ssh_config(5) lines for every user's `ssh`, written as they are to `/etc/ssh/ssh_config.d/50-gocfg.conf` (NixOS's `programs.ssh.extraConfig`), which Debian's, Ubuntu's and Fedora's `/etc/ssh/ssh_config` read first (`Include`), before their own `Host *` defaults: ssh takes the first value it reads for a key, so these win over the main file, a user's `~/.ssh/config` wins over them, and a drop-in named before ours wins for the keys it sets. The lines of several definitions are joined in module order, and a line belongs to the `Host` or `Match` block above it: start lines meant for every host with `Host *`. The last block ends at the end of the file. A new text is checked with `ssh -G` before it replaces the old one (unless it has the word `exec` or `include` anywhere: ssh would run a `Match exec` command, however it is spelt or included, and an `Include` resolves otherwise in the check): an unknown keyword or a bad value fails the plan. An empty text removes the file. Linux only: on macOS nothing is written, with a warning."
  example     = "Host *.internal\n  User admin\n  ForwardAgent no"
}

locals {
  # The key types ssh reads, with the start of the base64 of their
  # blob: the type again, after its length (a key of one type given as
  # another is refused by ssh, silently).
  ssh_kh_types = {
    "ssh-ed25519"                        = "AAAAC3NzaC1lZDI1NTE5"
    "ssh-rsa"                            = "AAAAB3NzaC1y"
    "ecdsa-sha2-nistp256"                = "AAAAE2VjZHNhLXNoYTItbmlzdHAy"
    "ecdsa-sha2-nistp384"                = "AAAAE2VjZHNhLXNoYTItbmlzdHAz"
    "ecdsa-sha2-nistp521"                = "AAAAE2VjZHNhLXNoYTItbmlzdHA1"
    "sk-ssh-ed25519@openssh.com"         = "AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29t"
    "sk-ecdsa-sha2-nistp256@openssh.com" = "AAAAInNrLWVjZHNhLXNoYTItbmlzdHAyNTZAb3BlbnNzaC5j"
  }
  # The length of the base64 of the key types whose keys are all of one
  # size, so that a key cut short is caught.
  ssh_kh_lengths = {
    "ssh-ed25519"         = 68
    "ecdsa-sha2-nistp256" = 140
    "ecdsa-sha2-nistp384" = 184
    "ecdsa-sha2-nistp521" = 232
  }
  ssh_kh_type_list = join(", ", keys(local.ssh_kh_types))
  ssh_kh = {
    for name, h in config.programs.ssh.known_hosts : name => {
      hosts = concat(h.host_names == null ? [name] : h.host_names, h.extra_host_names)
      # A file that cannot be read is "", and reported below.
      key = trimspace(h.public_key != null ? h.public_key : h.public_key_file != null ? try(file(h.public_key_file), "") : "")
      src = h.public_key != null ? "public_key" : "public_key_file"
      one = (h.public_key == null) != (h.public_key_file == null)
      ca  = h.cert_authority
      # The file is unreadable (missing, a folder, not text).
      unread = h.public_key == null && h.public_key_file != null && !can(file(h.public_key_file))
    }
  }
  # The key's first and second words: its type and its base64.
  ssh_kh_words = {
    for name, e in local.ssh_kh : name => {
      type = try(regex("^\\S+", e.key), "")
      blob = try(regex("^\\S+\\s+(\\S+)", e.key)[0], "")
    }
  }
  # What is wrong with a key, "" when nothing is: the asserts below
  # take one kind each.
  ssh_kh_why = {
    for name, w in local.ssh_kh_words : name => (
      !local.ssh_kh[name].one || local.ssh_kh[name].unread ? "" :
      !can(regex("^\\S+[ \t]+\\S+([ \t][^\r\n]*)?$", local.ssh_kh[name].key)) ? "form" :
      !contains(keys(local.ssh_kh_types), w.type) ? (contains(keys(local.ssh_kh_types), w.blob) ? "host" : "type") :
      !can(regex("^[A-Za-z0-9+/]+={0,2}$", w.blob)) || length(w.blob) % 4 != 0 || !contains([0, length(w.blob)], lookup(local.ssh_kh_lengths, w.type, 0)) ? "base64" :
      !startswith(w.blob, local.ssh_kh_types[w.type]) ? "mismatch" :
      ""
    )
  }
  # The options that hold the refused keys, by kind.
  ssh_kh_bad = {
    for why in ["form", "host", "type", "base64", "mismatch"] : why => [
      for name, w in local.ssh_kh_why : "programs.ssh.known_hosts.${jsonencode(name)}.${local.ssh_kh[name].src}" if w == why
    ]
  }
  ssh_kh_not_one   = [for name, e in local.ssh_kh : name if !e.one]
  ssh_kh_unread    = [for name, e in local.ssh_kh : name if e.unread]
  ssh_kh_bad_names = [for name, e in local.ssh_kh : name if length([for n in e.hosts : n if !can(regex("^[^\\s,#@\\[][^\\s,]*$|^\\[[^\\s,\\[\\]]+\\]:[0-9]{1,5}$", n))]) > 0]
  ssh_kh_no_names  = [for name, e in local.ssh_kh : name if length(e.hosts) == 0]
  # The options that set a host name of the entry (for the asserts' at).
  ssh_kh_names_at = {
    for name, h in config.programs.ssh.known_hosts : name => concat(
      h.host_names == null ? [] : ["programs.ssh.known_hosts.${jsonencode(name)}.host_names"],
      length(h.extra_host_names) > 0 ? ["programs.ssh.known_hosts.${jsonencode(name)}.extra_host_names"] : [],
    )
  }
  ssh_kh_text = join("\n", concat(
    ["# Written by gocfg (programs.ssh.known_hosts); replaced by every switch."],
    [for name in sort(keys(local.ssh_kh)) : "${local.ssh_kh[name].ca ? "@cert-authority " : ""}${join(",", local.ssh_kh[name].hosts)} ${local.ssh_kh[name].key}"],
    [""],
  ))
  ssh_config_on = host.os == "linux" && config.programs.ssh.extra_config != ""
}

environment {
  # No force: an unmanaged file already there stops the switch.
  etc "ssh/ssh_known_hosts" {
    when = length(config.programs.ssh.known_hosts) > 0
    text = local.ssh_kh_text
  }

  etc "ssh/ssh_config.d/50-gocfg.conf" {
    when = local.ssh_config_on
    text = join("\n", [
      "# Written by gocfg (programs.ssh.extra_config); replaced by every switch.",
      trimsuffix(config.programs.ssh.extra_config, "\n"),
      "",
    ])
    # ssh -G reads the whole file, as ssh would, and fails on an unknown
    # keyword or a bad value, in every Host block (it is asked about a
    # host that matches none). It would run the command of a Match exec
    # ("Match" exec, =Match exec, one in an included file: second
    # reviewer): a text with exec or include anywhere is left unchecked.
    # Without ssh (openssh-client not
    # installed) there is nothing to check with, and nothing reads the
    # file. ssh ends its messages with \r\n: the \r go.
    check = can(regex("(?i)exec|include", config.programs.ssh.extra_config)) ? null : <<-SH
      command -v ssh >/dev/null 2>&1 || exit 0
      out=$(ssh -G -F %s gocfg-check.invalid 2>&1 >/dev/null) && exit 0
      tr -d '\r' >&2 <<EOF
      $out
      EOF
      exit 1
    SH
  }
}

assert {
  condition = length(local.ssh_kh_not_one) == 0
  message   = "set exactly one of public_key and public_key_file."
  at        = [for name in local.ssh_kh_not_one : "programs.ssh.known_hosts.${jsonencode(name)}${config.programs.ssh.known_hosts[name].public_key != null ? ".public_key" : ""}"]
}

assert {
  condition = length(local.ssh_kh_unread) == 0
  message   = "cannot read ${join(", ", [for name in local.ssh_kh_unread : config.programs.ssh.known_hosts[name].public_key_file])}: the file must exist and hold the key as text (a .pub file)."
  at        = [for name in local.ssh_kh_unread : "programs.ssh.known_hosts.${jsonencode(name)}.public_key_file"]
}

assert {
  condition = length(local.ssh_kh_bad.form) == 0
  message   = "not an SSH public key: write one line \"<type> <base64> [comment]\", as in a .pub file, such as \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA... root@host\"."
  at        = local.ssh_kh_bad.form
}

assert {
  condition = length(local.ssh_kh_bad.host) == 0
  message   = "a known_hosts line, with the host in front: give the key alone, from its type on (\"ssh-ed25519 AAAA...\"), and its hosts in host_names."
  at        = local.ssh_kh_bad.host
}

assert {
  condition = length(local.ssh_kh_bad.type) == 0
  message   = "the key's type (its first word) is not one of ${local.ssh_kh_type_list}."
  at        = local.ssh_kh_bad.type
}

assert {
  condition = length(local.ssh_kh_bad.base64) == 0
  message   = "the key's base64 part (its second word) is broken: copy the whole key, in one piece."
  at        = local.ssh_kh_bad.base64
}

assert {
  condition = length(local.ssh_kh_bad.mismatch) == 0
  message   = "the key's base64 part (its second word) is a key of another type than its first word says: copy the whole line of the .pub file."
  at        = local.ssh_kh_bad.mismatch
}

assert {
  condition = length(local.ssh_kh_bad_names) == 0
  message   = "host names are single words such as host.example, 10.0.0.5, *.example.org or [host.example]:2222 (a port other than 22): no blanks, commas or line breaks, not starting with # or @."
  at        = flatten([for name in local.ssh_kh_bad_names : length(local.ssh_kh_names_at[name]) > 0 ? local.ssh_kh_names_at[name] : ["programs.ssh.known_hosts.${jsonencode(name)}"]])
}

assert {
  condition = length(local.ssh_kh_no_names) == 0
  message   = "at least one host name: leave host_names unset to use the entry's name."
  at        = [for name in local.ssh_kh_no_names : "programs.ssh.known_hosts.${jsonencode(name)}.host_names"]
}

warn {
  condition = host.os != "linux" && config.programs.ssh.extra_config != ""
  message   = "applied on Linux only; on macOS /etc/ssh/ssh_config.d is not written (put the lines in /etc/ssh/ssh_config, or in home.<user>.programs.ssh)."
  at        = "programs.ssh.extra_config"
}
