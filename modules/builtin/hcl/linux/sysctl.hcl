# boot.kernel.sysctl (NixOS's boot.kernel.sysctl): kernel parameters in
# /etc/sysctl.d/60-gocfg.conf, applied by the file's on_change, which
# also keeps the value each key had before gocfg first set it and sets it
# back when the key is no longer configured (or the file goes: the
# recorded script of the generation that had it runs).

option "boot.kernel.sysctl" {
  type        = attrs_of(anything)
  default     = {}
  description = "Kernel parameters (`sysctl -w` keys, with dots) and their values: a number, a string (several fields separated by spaces, such as `\"32768 60999\"`), `true`/`false` (written 1/0) or `null` (not set). gocfg writes `/etc/sysctl.d/60-gocfg.conf`, which `systemd-sysctl` applies at every boot, and applies it at the switch with `sysctl -p` on that file. Before a key is first set, its running value is saved under `/var/lib/gocfg-sysctl/`; when the key is removed from the option (or the option emptied, or a rollback to before it), that value is set back at the switch, as it would be at the next boot unless another file in `/etc/sysctl.d` sets it. Keys that the kernel does not know, or that are read-only here (as most are in a container), make the switch report the hook's failure. Linux only: on macOS nothing is written, with a warning."
  example     = { "net.ipv4.ip_forward" = 1, "vm.swappiness" = 10 }
}

locals {
  sysctl_set = { for k, v in config.boot.kernel.sysctl : replace(k, "/", ".") => (v == true ? "1" : v == false ? "0" : format("%v", v)) if v != null }
  # The keys the assert below refuses.
  sysctl_bad = [for k, v in config.boot.kernel.sysctl : k if !can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$", k)) || v != null && can(regex("\n", format("%v", v)))]
}

environment {
  etc "sysctl.d/60-gocfg.conf" {
    when = length(local.sysctl_set) > 0 && host.os == "linux"
    text = join("\n", concat(
      ["# Written by gocfg (boot.kernel.sysctl); replaced by every switch."],
      [for k in sort(keys(local.sysctl_set)) : "${k} = ${local.sysctl_set[k]}"],
      [""],
    ))
    # A copy, not a link into the generation under /var/lib/gocfg:
    # systemd-sysctl applies it early in the boot, before a separate /var
    # is mounted, and would find a dangling link.
    method = "copy"
    # The keys in the file are read from it, so that the script a removed
    # file recorded sets every key back.
    on_change = <<-SH
      f=/etc/sysctl.d/60-gocfg.conf
      d=/var/lib/gocfg-sysctl
      mkdir -p -m 0700 "$d"
      keys=
      if [ -e "$f" ]; then
        keys=$(sed -n 's/^[[:space:]]*\([^#;[:space:]][^=[:space:]]*\)[[:space:]]*=.*/\1/p' "$f")
      fi
      for k in $keys; do
        [ -e "$d/$k" ] || sysctl -n "$k" >"$d/$k" || rm -f "$d/$k"
      done
      status=0
      for s in "$d"/*; do
        [ -e "$s" ] || continue
        k=$${s##*/}
        case " $(echo $keys) " in *" $k "*) continue ;; esac
        if sysctl -q -w "$k=$(cat "$s")"; then rm -f "$s"; else status=1; fi
      done
      if [ -e "$f" ]; then sysctl -q -p "$f" || status=1; fi
      exit $status
    SH
  }
}

assert {
  condition = length(local.sysctl_bad) == 0
  message   = "keys are sysctl names such as net.ipv4.ip_forward, and values one line."
  at        = [for k in local.sysctl_bad : "boot.kernel.sysctl.${jsonencode(k)}"]
}

warn {
  condition = host.os != "linux" && length(local.sysctl_set) > 0
  message   = "applied on Linux only; on macOS /etc/sysctl.d/60-gocfg.conf is not written and no kernel parameter is set."
  at        = "boot.kernel.sysctl"
}
