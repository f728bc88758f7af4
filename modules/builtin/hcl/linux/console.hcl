# console.keymap (NixOS's console.keyMap): the keyboard layout of the
# text console. Debian's console-setup reads /etc/default/keyboard (which
# X11 and systemd-localed read too); other distributions' systemd reads
# KEYMAP= in /etc/vconsole.conf. The file replaces the machine's, which
# gocfg keeps and puts back when the option goes.

option "console.keymap" {
  type        = null_or(str)
  description = "Keyboard layout of the text console, as NixOS names it: an XKB layout such as `us`, `de`, `fr`, `gb`, or one of the console keymap names `uk`, `de-latin1`, `de-latin1-nodeadkeys`, `fr-latin1`, `fr-latin9`, `fr_CH`, `de_CH-latin1`, `sv-latin1`, `no-latin1`, `dk-latin1`, `es`, `it`, `dvorak`, `colemak`, `us-acentos`. On Debian gocfg writes `/etc/default/keyboard` (`XKBLAYOUT`, `XKBVARIANT`; console-setup, X11 and `localectl` read it) and, when console-setup's `setupcon` is installed, saves the console keymap for the next boot and loads it on the virtual consoles at once; elsewhere it writes `KEYMAP=` in `/etc/vconsole.conf`, read at boot. Unset (the default) leaves the layout alone; unsetting it puts back the file the machine had. Linux only."
  example     = "de-latin1"
}

locals {
  keymap_set = config.console.keymap != null && host.os == "linux"
  # Console keymap name -> [XKB layout, XKB variant].
  keymap_xkb = {
    uk                   = ["gb", ""]
    "de-latin1"          = ["de", ""]
    "de-latin1-nodeadkeys" = ["de", "nodeadkeys"]
    "fr-latin1"          = ["fr", ""]
    "fr-latin9"          = ["fr", "latin9"]
    fr_CH                = ["ch", "fr"]
    "de_CH-latin1"       = ["ch", ""]
    "sv-latin1"          = ["se", ""]
    "no-latin1"          = ["no", ""]
    "dk-latin1"          = ["dk", ""]
    dvorak               = ["us", "dvorak"]
    colemak              = ["us", "colemak"]
    "us-acentos"         = ["us", "intl"]
  }
  keymap_name = coalesce(config.console.keymap, "us")
  keymap_ok   = can(local.keymap_xkb[local.keymap_name]) || can(regex("^[a-z]{2,3}$", local.keymap_name))
  keymap      = local.keymap_ok ? lookup(local.keymap_xkb, local.keymap_name, [local.keymap_name, ""]) : ["us", ""]
}

environment {
  etc "default/keyboard" {
    when = local.keymap_set && host.distro == "debian"
    text = <<-EOT
      # Written by gocfg (console.keymap); replaced by every switch.
      # See keyboard(5).
      XKBMODEL="pc105"
      XKBLAYOUT="${local.keymap[0]}"
      XKBVARIANT="${local.keymap[1]}"
      XKBOPTIONS=""
      BACKSPACE="guess"
    EOT
    force = true
    # setupcon (console-setup) saves the keymap that keyboard-setup.sh
    # loads at boot, then loads it now where there are virtual consoles
    # (--force: a switch runs from a terminal or SSH, not a console).
    on_change = <<-SH
      if command -v setupcon >/dev/null 2>&1; then
        setupcon -k --save-only
        if [ -e /dev/tty1 ]; then setupcon -k --force; fi
      fi
    SH
  }
  etc "vconsole.conf" {
    when  = local.keymap_set && host.distro != "debian"
    text  = "# Written by gocfg (console.keymap); replaced by every switch.\nKEYMAP=${local.keymap_name}\n"
    force = true
    # A copy: systemd-vconsole-setup reads it early in the boot (and
    # dracut into the initramfs), before a separate /var is mounted.
    method = "copy"
  }
}

assert {
  condition = config.console.keymap == null || local.keymap_ok
  message   = "\"${coalesce(config.console.keymap, "")}\" is neither an XKB layout (two or three lower-case letters, such as de or us) nor a console keymap name gocfg knows (${join(", ", sort(keys(local.keymap_xkb)))})."
  at        = "console.keymap"
}

warn {
  condition = config.console.keymap != null && host.os != "linux"
  message   = "applied on Linux only; on macOS the keyboard layout is each user's, set in System Settings > Keyboard > Input Sources."
  at        = "console.keymap"
}
