# i18n (NixOS's i18n.defaultLocale, i18n.extraLocaleSettings and
# i18n.supportedLocales): the system locale in /etc/default/locale (what
# pam_env gives every login on Debian; /etc/locale.conf elsewhere), and
# the locales compiled by locale-gen from /etc/locale.gen, run by the
# file's on_change when the list changes. Both files replace what the
# machine had (the locales package makes them), which gocfg keeps and
# puts back when the options go; locale-gen then runs on the old list.
# On Debian the package locales (locale-gen) is installed from here: a
# switch that installs it writes the /etc files after its postinst, and
# the /etc/locale.gen the postinst makes is kept and put back when the
# options go (force = true).

option "i18n.default_locale" {
  type        = null_or(str)
  description = "The machine's locale (`LANG`), such as `en_US.UTF-8`, written to `/etc/default/locale` on Debian (`/etc/locale.conf` on other distributions), which every login session reads. It is added to `supported_locales` (unless you set that), so it is compiled too. Unset (the default) leaves the machine's locale alone; unsetting it puts back the file the machine had before gocfg. Linux only: on macOS the locale is each user's choice in System Settings."
  example     = "en_US.UTF-8"
}

option "i18n.extra_locale_settings" {
  type        = attrs_of(str)
  default     = {}
  description = "Other locale variables written next to `LANG`: `LC_*` categories (`LC_TIME`, `LC_MONETARY`, `LC_PAPER`, ...) or `LANGUAGE`, each to a locale name. Their locales are added to `supported_locales` (unless you set that)."
  example     = { LC_TIME = "de_DE.UTF-8", LC_MEASUREMENT = "de_DE.UTF-8" }
}

option "i18n.supported_locales" {
  type        = null_or(list_of(str))
  description = "Locales compiled on the machine, so that programs (and `locale -a`) have them: each a name ending in `.UTF-8` (`de_DE.UTF-8`, `ca_ES.UTF-8@valencia`), or a name and its character set as `/usr/share/i18n/SUPPORTED` lists them (`de_DE ISO-8859-1`, or NixOS's `de_DE/ISO-8859-1`). gocfg writes them to `/etc/locale.gen` (one `de_DE.UTF-8 UTF-8` line each) and runs `locale-gen` when the list changes. On Debian this needs the package `locales` (which the Debian installer installs), added to `environment.system_packages` here. Unset (the default) means `default_locale` and the locales of `extra_locale_settings`. `C.UTF-8` is always available (the C library ships it), listed or not."
  example     = ["en_US.UTF-8", "de_DE.UTF-8", "fr_FR ISO-8859-1"]
}

locals {
  i18n_env = merge(
    config.i18n.default_locale == null ? {} : { LANG = config.i18n.default_locale },
    config.i18n.extra_locale_settings,
  )
  i18n_supported = config.i18n.supported_locales != null ? config.i18n.supported_locales : distinct(concat(
    config.i18n.default_locale == null ? [] : [config.i18n.default_locale],
    [for k in sort(keys(config.i18n.extra_locale_settings)) : config.i18n.extra_locale_settings[k] if k != "LANGUAGE"],
  ))
  # One locale.gen line per locale: "name charset". A .UTF-8 name (in any
  # of the spellings glibc accepts) is written as Debian's SUPPORTED
  # writes it. C.UTF-8 is built into the C library: never compiled.
  i18n_utf8 = "^[A-Za-z0-9_-]+\\.(?i:utf-?8)(@[A-Za-z0-9]+)?$"
  i18n_pair = "^[A-Za-z0-9_.@-]+[ /][A-Za-z0-9_-]+$"
  i18n_gen_lines = distinct([
    for l in local.i18n_supported : (
      can(regex(local.i18n_pair, l)) ? replace(l, "/", " ") :
      "${regex_replace(l, "(?i)\\.utf-?8", ".UTF-8")} UTF-8"
    ) if(can(regex(local.i18n_pair, l)) || can(regex(local.i18n_utf8, l))) && !can(regex("^(C|POSIX)[ ./]", l))
  ])
  i18n_bad_locales = [
    for l in local.i18n_supported : l if !can(regex(local.i18n_pair, l)) && !can(regex(local.i18n_utf8, l))
  ]
  i18n_bad_env = [
    for k, v in local.i18n_env : k if !can(regex("^(LANG|LANGUAGE|LC_[A-Z]+)$", k)) || k == "LC_ALL" || !can(regex(k == "LANGUAGE" ? "^[A-Za-z0-9_.@:-]+$" : "^[A-Za-z0-9_.@-]+$", v))
  ]
  # locale-gen and /etc/locale.gen: Debian's (package locales) and Arch's
  # (glibc). Other distributions ship their locales as packages.
  i18n_linux     = host.os == "linux"
  i18n_generates = local.i18n_linux && contains(["debian", "arch"], host.distro) && length(local.i18n_gen_lines) > 0
}

environment {
  system_packages = local.i18n_generates && host.distro == "debian" ? ["locales"] : []

  etc "default/locale" {
    when  = local.i18n_linux && host.distro == "debian" && length(local.i18n_env) > 0
    text  = join("\n", concat(["# Written by gocfg (i18n); replaced by every switch."], [for k in sort(keys(local.i18n_env)) : "${k}=${local.i18n_env[k]}"], [""]))
    force = true
  }
  etc "locale.conf" {
    when  = local.i18n_linux && host.distro != "debian" && length(local.i18n_env) > 0
    text  = join("\n", concat(["# Written by gocfg (i18n); replaced by every switch."], [for k in sort(keys(local.i18n_env)) : "${k}=${local.i18n_env[k]}"], [""]))
    force = true
  }

  etc "locale.gen" {
    when  = local.i18n_generates
    text  = join("\n", concat(["# Written by gocfg (i18n.supported_locales); replaced by every switch.", "# locale-gen compiles these after each change."], local.i18n_gen_lines, [""]))
    force = true
    # Also run when the file goes (with the one put back), so the
    # compiled locales follow the list. Without locale-gen (its package
    # removed in the same switch) there is nothing to compile for.
    on_change = "if command -v locale-gen >/dev/null 2>&1 && [ -e /etc/locale.gen ]; then locale-gen; fi"
  }
}

assert {
  condition = length(local.i18n_bad_locales) == 0
  message   = "not a locale name ending in .UTF-8 (such as de_DE.UTF-8), nor a name and a character set (such as \"de_DE ISO-8859-1\"): ${join(", ", local.i18n_bad_locales)}."
  # Where the locales come from: supported_locales when set, else the
  # default and the categories.
  at = config.i18n.supported_locales != null ? ["i18n.supported_locales"] : concat(
    contains(local.i18n_bad_locales, coalesce(config.i18n.default_locale, "-")) ? ["i18n.default_locale"] : [],
    [for k, v in config.i18n.extra_locale_settings : "i18n.extra_locale_settings.${jsonencode(k)}" if k != "LANGUAGE" && contains(local.i18n_bad_locales, v)],
  )
}

assert {
  condition = length(local.i18n_bad_env) == 0
  message   = "keys are LC_* categories (LC_ALL excepted: it overrides the others, set it per session) or LANGUAGE, and values locale names such as de_DE.UTF-8."
  # LANG is default_locale unless the categories set it themselves.
  at = [for k in sort(local.i18n_bad_env) : contains(keys(config.i18n.extra_locale_settings), k) ? "i18n.extra_locale_settings.${jsonencode(k)}" : "i18n.default_locale"]
}

# With supported_locales set, a locale of default_locale or the
# categories that is not in it is not compiled: programs fall back to C
# (bash: "setlocale: cannot change locale"). Names compare as glibc
# reads them: .utf8, .UTF-8 and .utf-8 alike; "de_DE ISO-8859-1" is the
# locale de_DE. C and POSIX are always there.
locals {
  i18n_norm     = "(?i)\\.utf-?8"
  i18n_compiled = config.i18n.supported_locales == null ? [] : [for l in config.i18n.supported_locales : regex_replace(split(" ", replace(l, "/", " "))[0], local.i18n_norm, ".UTF-8")]
  i18n_uncompiled = config.i18n.supported_locales == null ? [] : [
    for k, v in local.i18n_env : k if k != "LANGUAGE" && !contains(local.i18n_compiled, regex_replace(v, local.i18n_norm, ".UTF-8")) && !can(regex("^(C|POSIX)([.@]|$)", v))
  ]
}

warn {
  condition = local.i18n_linux && length(local.i18n_uncompiled) > 0
  message   = "this locale is not in i18n.supported_locales, so locale-gen does not compile it and programs fall back to C; add it there."
  at        = [for k in sort(local.i18n_uncompiled) : contains(keys(config.i18n.extra_locale_settings), k) ? "i18n.extra_locale_settings.${jsonencode(k)}" : "i18n.default_locale"]
}

warn {
  condition = !local.i18n_linux && (config.i18n.default_locale != null || length(config.i18n.extra_locale_settings) > 0 || config.i18n.supported_locales != null)
  message   = "i18n is applied on Linux only; on macOS the locale is each user's, set in System Settings > General > Language & Region."
  at        = config.i18n.default_locale != null ? "i18n.default_locale" : length(config.i18n.extra_locale_settings) > 0 ? "i18n.extra_locale_settings" : "i18n.supported_locales"
}

warn {
  condition = local.i18n_linux && !contains(["debian", "arch"], host.distro) && length(local.i18n_gen_lines) > 0 && config.i18n.supported_locales != null
  message   = "gocfg compiles locales with locale-gen on Debian and Arch only; here (host.distro \"${host.distro}\") install the distribution's language packs with environment.system_packages instead (such as glibc-langpack-de on Fedora)."
  at        = "i18n.supported_locales"
}
