# boot.kernel_modules, boot.blacklisted_kernel_modules and
# boot.extra_modprobe_config (NixOS's boot.kernelModules,
# boot.blacklistedKernelModules and boot.extraModprobeConfig): the
# modules systemd-modules-load loads at every boot, in
# /etc/modules-load.d/gocfg.conf, and the blacklist and modprobe.d(5)
# lines in one /etc/modprobe.d/gocfg.conf (NixOS writes both to one file
# too), which modprobe reads whenever it loads a module.
#
# At the switch the on_change of the modules-load.d file runs
# `modprobe -b` on each listed module, rather than
# `systemctl try-restart systemd-modules-load.service`: try-restart does
# nothing when the service did not run at boot (it is skipped when no
# modules-load.d folder had a file then), and a restart loads every
# modules-load.d file of the machine, so that a module another file names
# and this machine lacks would fail this option's hook, which would only
# say "see systemctl status"; modprobe loads these modules only, says
# which one it cannot load, and -b applies the blacklist as
# systemd-modules-load does (KMOD_PROBE_APPLY_BLACKLIST). Where no module
# can be loaded at all the hook does nothing and succeeds: without
# CAP_SYS_MODULE in the bounding set of PID 1 or of the hook (a
# container: systemd-nspawn, Docker and LXC drop it;
# systemd-modules-load.service is skipped there by its
# ConditionCapability=CAP_SYS_MODULE, which tests PID 1's set) or
# without modules for the running kernel (/lib/modules/`uname -r`, absent
# in a container that shares its host's kernel). Elsewhere each module is
# tried, and any that fails makes the switch report the hook's failure
# with modprobe's words, without undoing the switch (the file stays for
# the next boot). As with NixOS, a module removed from the list stays
# loaded until the next boot (or rmmod), and a new blacklist or options
# line takes effect when the module is next loaded.

option "boot.kernel_modules" {
  type        = list_of(str)
  default     = []
  description = "Kernel modules loaded at every boot, such as `wireguard` or `br_netfilter`: gocfg writes them one a line to `/etc/modules-load.d/gocfg.conf`, which `systemd-modules-load.service` reads early in the boot, and loads them at the switch too, with `modprobe -b` (which, as `systemd-modules-load`, skips a blacklisted module). A module that cannot be loaded (unknown to the running kernel, say) makes the switch report the hook's failure with modprobe's message; the switch is not undone. Where no module can be loaded, as in a container (its init has no `CAP_SYS_MODULE` in its bounding set, so `systemd-modules-load.service` is skipped there too, or there is no `/lib/modules/$(uname -r)`), the file is written and nothing is loaded, without an error. Removing a module from the list does not unload it (until the next boot, or `rmmod`). Names are letters, digits, `_` and `-` (the kernel takes `-` and `_` as the same); a module's parameters go in `extra_modprobe_config` (`options NAME key=value`). Linux only: on macOS nothing is written, with a warning."
  example     = ["wireguard", "br_netfilter"]
}

option "boot.blacklisted_kernel_modules" {
  type        = list_of(str)
  default     = []
  description = "Kernel modules never loaded automatically: a `blacklist NAME` line each in `/etc/modprobe.d/gocfg.conf`, which stops udev (and `systemd-modules-load`, so `kernel_modules` too) loading the module for a device or an alias; `modprobe NAME` by hand, or another module that needs it, still loads it. A module already loaded stays loaded until the next boot (or `rmmod`). On Debian a module that the initramfs loads is blacklisted there only once it is rebuilt (`update-initramfs -u`), which gocfg does not run. Names are letters, digits, `_` and `-`. Linux only: on macOS nothing is written, with a warning."
  example     = ["nouveau", "pcspkr"]
}

option "boot.extra_modprobe_config" {
  type        = lines
  default     = ""
  description = "modprobe.d(5) lines written as they are after the `blacklist` lines of `blacklisted_kernel_modules`, in the same `/etc/modprobe.d/gocfg.conf` (NixOS's `extraModprobeConfig`), such as `options kvm_intel nested=1` or `install NAME /bin/false`. modprobe reads them whenever it loads a module, so a module already loaded gets new options when it is next loaded (after `rmmod`, or at the next boot); the initramfs has its own copy (on Debian, `update-initramfs -u`, which gocfg does not run). Lines of several definitions are joined in module order. Linux only: on macOS nothing is written, with a warning."
  example     = "options kvm_intel nested=1\noptions snd_hda_intel power_save=1"
}

locals {
  km          = config.boot
  km_load     = distinct(local.km.kernel_modules)
  km_deny     = distinct(local.km.blacklisted_kernel_modules)
  km_extra    = chomp(local.km.extra_modprobe_config)
  km_name_re  = "^[A-Za-z0-9_-]+$"
  # The names the asserts below refuse.
  km_bad_load = [for m in local.km_load : m if !can(regex(local.km_name_re, m))]
  km_bad_deny = [for m in local.km_deny : m if !can(regex(local.km_name_re, m))]
  # Listed to load and blacklisted too (the kernel reads - as _): not
  # loaded at boot, where the blacklist wins.
  km_deny_norm = [for m in local.km_deny : replace(m, "-", "_")]
  km_both      = [for m in local.km_load : m if contains(local.km_deny_norm, replace(m, "-", "_"))]
  km_modprobe = concat(
    [for m in local.km_deny : "blacklist ${m}"],
    local.km_extra != "" ? [local.km_extra] : [],
  )
}

environment {
  etc "modules-load.d/gocfg.conf" {
    when = length(local.km_load) > 0 && host.os == "linux"
    text = join("\n", concat(
      ["# Written by gocfg (boot.kernel_modules); replaced by every switch."],
      local.km_load,
      [""],
    ))
    # A copy, not a link into the generation under /var/lib/gocfg:
    # systemd-modules-load runs early in the boot, before a separate /var
    # is mounted, and would find a dangling link.
    method = "copy"
    # The modules are read from the file (none when it goes); see the
    # comment at the top for why modprobe and when nothing is loaded.
    # CAP_SYS_MODULE is capability 16, looked for in the bounding set of
    # PID 1 (the service manager, whose set ConditionCapability tests:
    # a container's init, even when gocfg was started from the host with
    # nsenter and keeps the host's set) and of the hook itself.
    on_change = <<-SH
      f=/etc/modules-load.d/gocfg.conf
      [ -e "$f" ] || exit 0
      for p in 1 self; do
        bnd=$(sed -n 's/^CapBnd:[[:space:]]*//p' /proc/$p/status)
        [ -n "$bnd" ] && [ $(( (0x$bnd >> 16) & 1 )) -eq 1 ] || exit 0
      done
      [ -d "/lib/modules/$(uname -r)" ] || exit 0
      status=0
      for m in $(sed -n 's/^[[:space:]]*\([^#;[:space:]][^[:space:]]*\).*/\1/p' "$f"); do
        modprobe -b "$m" || status=1
      done
      exit $status
    SH
  }
  etc "modprobe.d/gocfg.conf" {
    when = length(local.km_modprobe) > 0 && host.os == "linux"
    text = join("\n", concat(
      ["# Written by gocfg (boot.blacklisted_kernel_modules, boot.extra_modprobe_config); replaced by every switch."],
      local.km_modprobe,
      [""],
    ))
    # A copy: udev loads modules, reading modprobe.d, early in the boot,
    # before a separate /var is mounted.
    method = "copy"
  }
}

assert {
  condition = length(local.km_bad_load) == 0
  message   = "kernel module names are letters, digits, _ and - (such as wireguard or kvm-intel), not ${join(", ", [for m in local.km_bad_load : jsonencode(m)])}.\nhint: a module's parameters go in boot.extra_modprobe_config, as a line such as \"options kvm_intel nested=1\"."
  at        = "boot.kernel_modules"
}

assert {
  condition = length(local.km_bad_deny) == 0
  message   = "kernel module names are letters, digits, _ and - (such as nouveau or pcspkr), not ${join(", ", [for m in local.km_bad_deny : jsonencode(m)])}.\nhint: other modprobe.d(5) lines go in boot.extra_modprobe_config."
  at        = "boot.blacklisted_kernel_modules"
}

warn {
  condition = length(local.km_both) > 0 && host.os == "linux"
  message   = "${join(", ", local.km_both)} ${length(local.km_both) > 1 ? "are" : "is"} blacklisted too (boot.blacklisted_kernel_modules), so neither systemd-modules-load at boot nor the switch loads ${length(local.km_both) > 1 ? "them" : "it"}."
  at        = "boot.kernel_modules"
}

warn {
  condition = host.os != "linux" && (length(local.km_load) > 0 || length(local.km_modprobe) > 0)
  message   = "applied on Linux only; on macOS (which has kernel extensions, not modules) /etc/modules-load.d and /etc/modprobe.d are not written."
  at        = length(local.km_load) > 0 ? "boot.kernel_modules" : length(local.km_deny) > 0 ? "boot.blacklisted_kernel_modules" : "boot.extra_modprobe_config"
}
