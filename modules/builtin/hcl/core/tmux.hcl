# programs.tmux (NixOS's programs.tmux) and home.<user>.programs.tmux
# (home-manager's programs.tmux): the package tmux, /etc/tmux.conf (Linux)
# and each user's ~/.config/tmux/tmux.conf, written the same way from the
# same options: every setting always, defaults included, as NixOS and
# home-manager write theirs, then the prefix key, new-session and
# extra_config. /etc/tmux.conf is parsed by tmux itself (source-file -n)
# when the plan is made. This declaration adds "programs.tmux.*" to the
# home submodule of core/home.hcl; the users' files are home_files.

option "programs.tmux.enable" {
  type        = bool
  default     = false
  description = "Install tmux (the package `tmux` on Debian, Fedora and Arch, whose package managers gocfg drives) and write `/etc/tmux.conf` from the options below (NixOS's `programs.tmux`). Every user's tmux reads it when its server starts, before the user's `~/.tmux.conf` and `~/.config/tmux/tmux.conf` (see `home.<user>.programs.tmux`), whose settings win. As NixOS does, the file sets every option below, defaults included, so tmux's own defaults do not apply where they differ (on Debian 12's tmux 3.3a: `terminal`, `clock24`, and `key_mode` when `$EDITOR` names vi). A new text is parsed by tmux before it replaces the old one (`source-file -n`, in a throw-away server on a private socket, which exits at once and runs nothing of the file): an unknown command or a syntax error in `extra_config` fails the plan, showing tmux's message; option names and values are checked only when tmux runs the file. The check is skipped while tmux is not installed (on the switch that installs it) or is older than 3.2. A running tmux server reads the file only when it starts (or on `tmux source-file /etc/tmux.conf`). An unmanaged `/etc/tmux.conf` already there stops the switch (Debian's package has none). Turning it off removes the file, and the package if gocfg installed it and no user has `home.<user>.programs.tmux.enable`. Linux only: on macOS nothing is installed or written, with a warning (Homebrew's tmux reads its own `etc/tmux.conf`, not `/etc/tmux.conf`): install tmux with Homebrew and use `home.<user>.programs.tmux`."
  example     = true
}

option "programs.tmux.prefix" {
  type        = null_or(str)
  default     = null
  description = "The prefix key, as tmux names keys: a character, or a named key (`Space`, `Escape`, `F12`, `Tab`, ...), after any of the modifiers `C-` (Control), `M-` (Meta, Alt) and `S-` (Shift): `C-a`, `C-Space`, `M-;`. Set, gocfg writes `unbind C-b`, `set -g prefix <key>` and `bind <key> send-prefix` (home-manager's `prefix`: the prefix pressed twice reaches the program in the pane). Null (the default) keeps tmux's `C-b`. NixOS's `shortcut = \"a\"` is `prefix = \"C-a\"` here (its `bind C-a last-window` is not written: add it to `extra_config`)."
  example     = "C-a"
}

option "programs.tmux.base_index" {
  type        = int
  default     = 0
  description = "`base-index` and `pane-base-index`: the number of the first window of a session and of the first pane of a window; 1 puts the first window under the key 1, next to 2. 0 (the default, NixOS's and tmux's own) to 2147483647."
  example     = 1
}

option "programs.tmux.clock24" {
  type        = bool
  default     = false
  description = "`clock-mode-style`: the clock of clock mode (prefix `t`) in 24-hour style, or 12-hour when false. The default, false, is NixOS's and home-manager's; tmux 3.3a's own is 24-hour."
  example     = true
}

option "programs.tmux.escape_time" {
  type        = int
  default     = 500
  description = "`escape-time`: milliseconds tmux waits after an Escape for the rest of a key sequence, which makes Escape slow in vim and other editors (0 to 10 suits a local terminal). The default, 500, is NixOS's and tmux's own. 0 to 2147483647."
  example     = 0
}

option "programs.tmux.history_limit" {
  type        = int
  default     = 2000
  description = "`history-limit`: lines of scrollback kept for each pane made after it is set. The default, 2000, is NixOS's and tmux's own. 0 to 2147483647 (every pane's lines take memory)."
  example     = 50000
}

option "programs.tmux.key_mode" {
  type        = enum(["emacs", "vi"])
  default     = "emacs"
  description = "`status-keys` and `mode-keys`: the keys of the command prompt and of copy mode, `emacs` or `vi`. The default, `emacs`, is NixOS's, written always: tmux's own default is `vi` when `$VISUAL` or `$EDITOR` names vi."
  example     = "vi"
}

option "programs.tmux.mouse" {
  type        = bool
  default     = false
  description = "`mouse`: the mouse selects panes and windows, resizes panes and scrolls into copy mode. The default, false, is tmux's own (NixOS has no such option; home-manager writes `set -g mouse off` too)."
  example     = true
}

option "programs.tmux.terminal" {
  type        = str
  default     = "screen"
  description = "`default-terminal`: the `$TERM` that programs in tmux see, a terminfo name the machine must have (`infocmp <name>` shows it): letters, digits and `. _ + -`. The default, `screen`, is NixOS's and home-manager's, and has 8 colours and no italics; `tmux-256color` (tmux 3.3a's own default, in Debian's `ncurses-base`) has 256 colours and italics."
  example     = "tmux-256color"
}

option "programs.tmux.aggressive_resize" {
  type        = bool
  default     = false
  description = "`aggressive-resize`: size a window for the sessions in which it is the current window only, not for every session that holds it (for several terminals attached to sessions sharing windows). The default, false, is NixOS's and tmux's own."
  example     = true
}

option "programs.tmux.new_session" {
  type        = bool
  default     = false
  description = "Make a session when the tmux server starts (a `new-session` line, after the settings above and before `extra_config`), so that `tmux attach` works with no server running (NixOS's `newSession`); a plain `tmux` then starts with two sessions. Settings of `extra_config` that shape a new session (`default-shell`, `default-command`) do not apply to that first one: leave this false and end `extra_config` with `new-session` instead."
  example     = true
}

option "programs.tmux.extra_config" {
  type        = lines
  default     = ""
  description = "tmux commands added as they are at the end of `/etc/tmux.conf`, after the lines the options above write, so that they win (NixOS's `extraConfig`): `set -g status-style bg=blue`, `bind | split-window -h`. The lines of several definitions are joined in module order. A line tmux cannot parse would make it skip the whole file: the plan fails instead (see `enable`)."
  example     = "set -g renumber-windows on\nbind | split-window -h"
}

option "home" {
  type = attrs_of(submodule({
    "programs.tmux.enable" = {
      type        = bool
      default     = false
      description = "Write the user's `~/.config/tmux/tmux.conf` from the options below (home-manager's `programs.tmux`), and install tmux as `programs.tmux.enable` does (the package `tmux` on Debian, Fedora and Arch; not on macOS, which has no tmux: a warning says so, install it with Homebrew). tmux 3.1 and later (Debian 11 and 12) read the file when the server starts, after `/etc/tmux.conf` and `~/.tmux.conf` (a file of yours there still loads, and the settings here win over it); tmux 3.0 reads only `~/.tmux.conf`. As home-manager does, the file sets every option below but a null `prefix`, defaults included: the user's defaults then override what `programs.tmux` sets in `/etc/tmux.conf`. It is not checked before the switch: a line tmux cannot parse makes it skip the whole file, with the error shown when you attach. A running server reads it only when it starts (or on `tmux source-file ~/.config/tmux/tmux.conf`). An unmanaged file already there is left alone and reported: move it away (or into `extra_config`), or let gocfg replace it with `home_files.<user>.\".config/tmux/tmux.conf\".force = true`."
      example     = true
    }
    "programs.tmux.prefix" = {
      type        = null_or(str)
      default     = null
      description = "The prefix key, such as `C-a`, `C-Space` or `M-;`, as `programs.tmux.prefix`: `unbind C-b`, `set -g prefix <key>` and `bind <key> send-prefix`. Null (the default) keeps `C-b`, or the prefix `/etc/tmux.conf` sets."
      example     = "C-a"
    }
    "programs.tmux.base_index" = {
      type        = int
      default     = 0
      description = "`base-index` and `pane-base-index`: the number of the first window and pane, 0 (the default) to 2147483647."
      example     = 1
    }
    "programs.tmux.clock24" = {
      type        = bool
      default     = false
      description = "`clock-mode-style`: 24-hour clock, or 12-hour when false (the default, home-manager's; tmux 3.3a's own is 24-hour)."
      example     = true
    }
    "programs.tmux.escape_time" = {
      type        = int
      default     = 500
      description = "`escape-time`: milliseconds tmux waits after an Escape (500, the default, is slow in vim: 0 to 10 suits a local terminal). 0 to 2147483647."
      example     = 0
    }
    "programs.tmux.history_limit" = {
      type        = int
      default     = 2000
      description = "`history-limit`: lines of scrollback kept for each pane, 0 to 2147483647 (default 2000)."
      example     = 50000
    }
    "programs.tmux.key_mode" = {
      type        = enum(["emacs", "vi"])
      default     = "emacs"
      description = "`status-keys` and `mode-keys`: `emacs` (the default, written always) or `vi`, for the command prompt and copy mode."
      example     = "vi"
    }
    "programs.tmux.mouse" = {
      type        = bool
      default     = false
      description = "`mouse`: select panes and windows, resize panes and scroll with the mouse (default false)."
      example     = true
    }
    "programs.tmux.terminal" = {
      type        = str
      default     = "screen"
      description = "`default-terminal`: the `$TERM` programs in tmux see, a terminfo name of letters, digits and `. _ + -`. The default, `screen`, is home-manager's (8 colours, no italics); `tmux-256color` has 256 colours and italics."
      example     = "tmux-256color"
    }
    "programs.tmux.aggressive_resize" = {
      type        = bool
      default     = false
      description = "`aggressive-resize`: size a window for the sessions in which it is the current window only (default false)."
      example     = true
    }
    "programs.tmux.new_session" = {
      type        = bool
      default     = false
      description = "A `new-session` line, before `extra_config`, so that `tmux attach` works with no server running, as `programs.tmux.new_session` (default false)."
      example     = true
    }
    "programs.tmux.extra_config" = {
      type        = lines
      default     = ""
      description = "tmux commands added as they are at the end of the file, after the lines the options above write, so that they win (home-manager's `extraConfig`). Not checked before the switch: test them with `tmux source-file -n ~/.config/tmux/tmux.conf`."
      example     = "set -g renumber-windows on\nbind | split-window -h"
    }
  }))
}

locals {
  tmux_users = { for user, h in config.home : user => h.programs.tmux if h.programs.tmux.enable }
  # Every configuration that is on, keyed by the path of its options (an
  # assert's at): the system's and the users'. name is the path as the
  # file's first line prints it.
  tmux_confs = merge(
    config.programs.tmux.enable ? { "programs.tmux" = { name = "(programs.tmux)", c = config.programs.tmux } } : {},
    { for user, t in local.tmux_users : "home.${jsonencode(user)}.programs.tmux" => { name = "from home.${user}.programs.tmux", c = t } },
  )
  # The key as tmux names it: a character or a named key after C-, M-
  # and S- (any case), or ^ and a character (C-).
  tmux_key_re = "^(?:(?:[CcMmSs]-)*(?:[!-~]|(?i:F(?:[1-9]|1[0-2])|Up|Down|Left|Right|Home|End|IC|Insert|DC|Delete|NPage|PageDown|PgDn|PPage|PageUp|PgUp|Tab|BTab|Space|BSpace|Enter|Escape))|\\^[!-~])$"
  tmux_bad_prefix = [
    for at, e in local.tmux_confs : "${at}.prefix" if e.c.prefix == null ? false : !can(regex(local.tmux_key_re, e.c.prefix))
  ]
  tmux_bad_terminal = [
    for at, e in local.tmux_confs : "${at}.terminal" if !can(regex("^[A-Za-z0-9][A-Za-z0-9._+-]*$", e.c.terminal))
  ]
  # tmux takes 0 to INT_MAX for these.
  tmux_bad_numbers = flatten([
    for at, e in local.tmux_confs : [
      for name, v in { base_index = e.c.base_index, escape_time = e.c.escape_time, history_limit = e.c.history_limit } : "${at}.${name}" if v < 0 || v > 2147483647
    ]
  ])
  # The prefix as a word of tmux's configuration: quoted when it has a
  # character tmux reads otherwise (; ends a command, # starts a comment,
  # $ and ~ expand, { } make blocks, \ escapes, quotes quote); in single
  # quotes, taken as they stand, unless it holds one.
  tmux_prefix = {
    for at, e in local.tmux_confs : at => (
      e.c.prefix == null ? "" :
      !can(regex("[;#'\"\\\\$~{}]", e.c.prefix)) ? e.c.prefix :
      !strcontains(e.c.prefix, "'") ? "'${e.c.prefix}'" :
      "\"${replace(replace(replace(e.c.prefix, "\\", "\\\\"), "\"", "\\\""), "$", "\\$")}\""
    )
  }
  tmux_text = {
    for at, e in local.tmux_confs : at => join("\n", concat(
      [
        "# Written by gocfg ${e.name}; replaced by every switch.",
        "set  -g default-terminal  \"${e.c.terminal}\"",
        "set  -g base-index        ${e.c.base_index}",
        "setw -g pane-base-index   ${e.c.base_index}",
        "set  -g status-keys       ${e.c.key_mode}",
        "set  -g mode-keys         ${e.c.key_mode}",
        "set  -g mouse             ${e.c.mouse ? "on" : "off"}",
        "setw -g aggressive-resize ${e.c.aggressive_resize ? "on" : "off"}",
        "setw -g clock-mode-style  ${e.c.clock24 ? "24" : "12"}",
        "set  -s escape-time       ${e.c.escape_time}",
        "set  -g history-limit     ${e.c.history_limit}",
      ],
      e.c.prefix == null ? [] : [
        "",
        "unbind C-b",
        "set  -g prefix ${local.tmux_prefix[at]}",
        "bind ${local.tmux_prefix[at]} send-prefix",
      ],
      e.c.new_session ? ["", "new-session"] : [],
      e.c.extra_config == "" ? [] : ["", trimsuffix(e.c.extra_config, "\n")],
      [""],
    ))
  }
  # The package, where gocfg drives the package manager (apt, dnf,
  # pacman); macOS has no tmux (a warning below).
  tmux_package = (config.programs.tmux.enable || length(local.tmux_users) > 0) && contains(["debian", "fedora", "arch"], host.distro)
  # Options set while enable is false, by the path of their options.
  tmux_unused = [
    for at, t in merge(
      { "programs.tmux" = config.programs.tmux },
      { for user, h in config.home : "home.${jsonencode(user)}.programs.tmux" => h.programs.tmux },
    ) : at
    if !t.enable && (t.prefix != null || t.base_index != 0 || t.clock24 || t.escape_time != 500 || t.history_limit != 2000 || t.key_mode != "emacs" || t.mouse || t.terminal != "screen" || t.aggressive_resize || t.new_session || t.extra_config != "")
  ]
}

environment {
  system_packages = local.tmux_package ? ["tmux"] : []

  # No force: an unmanaged file already there stops the switch.
  etc "tmux.conf" {
    # extra_config is read first: an error of the check (only its lines
    # can fail it) then points at the user's extra_config.
    text = config.programs.tmux.extra_config != null && config.programs.tmux.enable ? local.tmux_text["programs.tmux"] : ""
    when = config.programs.tmux.enable && host.os == "linux"
    # tmux parses the candidate (source-file -n: parse only, nothing of
    # it runs; %if formats are expanded without #() jobs) in a server of
    # its own, on a socket in a private folder, started without any
    # configuration (-f /dev/null): with no session it exits as soon as
    # the client is done. source-file reads the file through the client,
    # so /dev/stdin is the candidate. tmux prints only the first error,
    # "/dev/stdin:<line>: <problem>". Without tmux (the switch that
    # installs it) there is nothing to parse with; tmux before 3.2 has
    # no -n.
    check = <<-SH
      command -v tmux >/dev/null 2>&1 || exit 0
      case "$(tmux -V 2>/dev/null)" in "tmux "[012].*|"tmux 3."[01]|"tmux 3."[01][a-z]) exit 0 ;; esac
      d=$(mktemp -d) || exit 1
      trap 'rm -rf "$d"' EXIT
      tmux -S "$d/check" -f /dev/null start-server ';' source-file -n %s
    SH
  }
}

home_files = {
  for user, t in local.tmux_users : user => {
    ".config/tmux/tmux.conf" = {
      generated_by = "home.${user}.programs.tmux"
      text         = local.tmux_text["home.${jsonencode(user)}.programs.tmux"]
    }
  }
}

assert {
  condition = length(local.tmux_bad_prefix) == 0
  message   = "not a tmux key: a character or a named key (Space, Escape, F12, Tab, ...) after any of C- (Control), M- (Meta) and S- (Shift), such as \"C-a\", \"C-Space\" or \"M-;\"."
  at        = local.tmux_bad_prefix
}

assert {
  condition = length(local.tmux_bad_terminal) == 0
  message   = "a terminal is a terminfo name of letters, digits and . _ + - such as \"tmux-256color\" or \"screen-256color\"."
  at        = local.tmux_bad_terminal
}

assert {
  condition = length(local.tmux_bad_numbers) == 0
  message   = "must be from 0 to 2147483647."
  at        = local.tmux_bad_numbers
}

warn {
  condition = length(local.tmux_unused) > 0
  message   = "options are set but programs.tmux.enable is false, so gocfg writes no tmux configuration."
  at        = local.tmux_unused
}

warn {
  condition = host.os == "darwin" && config.programs.tmux.enable
  message   = "applied on Linux only; on macOS tmux is not installed and /etc/tmux.conf is not written (Homebrew's tmux does not read it): install tmux with Homebrew and use home.<user>.programs.tmux."
  at        = "programs.tmux.enable"
}

warn {
  condition = host.os == "darwin" && length(local.tmux_users) > 0
  message   = "macOS has no tmux, and gocfg does not install it there: install it with Homebrew. The configuration file is written."
  at        = [for user, t in local.tmux_users : "home.${jsonencode(user)}.programs.tmux.enable"]
}
