# programs.neovim (NixOS's programs.neovim) and home.<user>.programs.neovim
# (home-manager's programs.neovim): the package neovim, the system-wide
# /etc/xdg/nvim/sysinit.vim, EDITOR, vi and vim, and each user's
# ~/.config/nvim/init.vim or init.lua. This declaration adds
# "programs.neovim.*" to the home submodule of core/home.hcl; the users'
# files are home_files. The users' shell lines (aliases and EDITOR in the
# ~/.bashrc and ~/.zshrc gocfg writes) go through shell_init
# (core/shell_init.hcl), only for a user whose programs.bash (zsh) is on:
# otherwise there is no such file to add to (a warning below). The values
# are constant (nvim), so no quoting is needed.
#
# Where gocfg differs from NixOS and home-manager, and why:
#
# - No wrapper. NixOS and home-manager wrap nvim (NixOS with -u, so that
#   ~/.config/nvim/init.vim is no longer read). gocfg installs the
#   distribution's nvim as it is: /etc/xdg/nvim/sysinit.vim (nvim's own
#   system init, $XDG_CONFIG_DIRS/nvim/sysinit.vim, which Debian 12's
#   nvim 0.7.2 reads before the user's init; Debian ships none) holds
#   configure.custom_rc, and the user's own init still loads after it.
# - vi_alias and vim_alias (system). NixOS puts vi and vim symlinks into
#   the wrapped package, so `vi` is nvim for everyone and in scripts.
#   Debian's neovim registers /usr/bin/vi and /usr/bin/vim as
#   alternatives already (priority 30: vim.basic or vim.gtk3, when there,
#   may win): gocfg pins them to /usr/bin/nvim with `update-alternatives
#   --set`, from the on_change hook of /etc/gocfg/neovim-alternatives, a
#   list of the names, and puts them back to automatic when a name goes
#   (only if it still points at nvim: a choice made by hand since is left
#   alone). Fedora's and Arch's neovim have no such alternatives: there
#   nothing is done, with a warning. Not under --root (hooks do not run
#   there).
# - vi_alias and vim_alias (home). home-manager's symlinks live in the
#   user's Nix profile, in PATH; gocfg has no per-user bin folder it knows
#   to be in PATH, so they are shell aliases (`alias vi=nvim`) in the
#   ~/.bashrc and ~/.zshrc gocfg writes (home.<user>.programs.bash and
#   programs.zsh), as home-manager's own vimdiffAlias is. Interactive
#   shells only; without those modules nothing is written (a warning).
# - default_editor (home). home-manager sets EDITOR and VISUAL in
#   home.sessionVariables. A module cannot define home.<user>.
#   session_variables from home.<user>.programs.neovim (a definition of
#   `home` computed from `home` would depend on itself), so gocfg writes
#   the two variables in ~/.config/environment.d/70-gocfg-neovim.conf
#   (the user's systemd manager: graphical sessions, user services; read
#   after session_variables' 60-gocfg.conf) and as `export` lines in the
#   ~/.bashrc and ~/.zshrc gocfg writes. A session_variables EDITOR or
#   VISUAL of another value is a conflict (an assert). The system's
#   default_editor sets EDITOR alone, as NixOS does, through
#   environment.variables with NixOS's priority (override(900)); another
#   EDITOR there is a conflict too (NixOS would let it win silently).
# - extra_config and extra_lua_config (home). home-manager always writes
#   init.lua, which sources the Vimscript from a file of the Nix store.
#   nvim refuses init.vim and init.lua side by side (E5422), so gocfg
#   writes exactly one of them: Vimscript alone goes to init.vim as it is;
#   with Lua, init.lua holds extra_lua_config, after a line that sources
#   extra_config from ~/.config/nvim/gocfg-extra-config.vim (a file of its
#   own: no quoting, any content is read back as written, as home-manager
#   does it). A home.<user>.files entry for ~/.config/nvim, or its
#   init.vim or init.lua, while gocfg writes one is a conflict (an
#   assert): nvim would see two inits, or the folder's would be lost.
# - package (system only). gocfg installs the distribution's package by
#   name for the whole machine: home.<user>.programs.neovim installs
#   programs.neovim.package too.
#
# Left out: withRuby, withPython3, withNodeJs, withPerl and
# extraPython3Packages/extraLuaPackages (providers come from the
# distribution's packages: install python3-pynvim, ruby-neovim or the
# npm package with environment.system_packages), plugins, coc and
# configure.packages (Nix-built plugins: use a plugin manager from the
# init, or files under ~/.config/nvim/pack with home.<user>.files),
# runtime (write environment.etc."xdg/nvim/<file>", a folder nvim has in
# its runtimepath), extraPackages, extraWrapperArgs, finalPackage,
# extraName and the other wrapper options (no wrapper), vimdiffAlias
# (Debian's neovim makes vimdiff run nvim -d through its alternative),
# and a system-wide Lua init (nvim 0.7 reads no sysinit.lua: use a
# `lua << EOF` block in custom_rc).

option "programs.neovim.enable" {
  type        = bool
  default     = false
  description = "Install Neovim (the package `programs.neovim.package`, `neovim` on Debian, Fedora and Arch, whose package managers gocfg drives; NixOS's `programs.neovim.enable`) and apply the options below for every user: `/etc/xdg/nvim/sysinit.vim` from `configure.custom_rc`, `EDITOR` from `default_editor`, `vi` and `vim` from `vi_alias` and `vim_alias`. Unlike NixOS, nvim is not wrapped: each user's own `~/.config/nvim/init.vim` or `init.lua` still loads, after the system file. Turning it off removes what it wrote, and the package if gocfg installed it and no user has `home.<user>.programs.neovim.enable`. Linux only: on macOS nothing is installed or written, with a warning (install neovim with Homebrew and use `home.<user>.programs.neovim`)."
  example     = true
}

option "programs.neovim.package" {
  type        = str
  default     = "neovim"
  description = "The name of the package installed for `programs.neovim.enable` and `home.<user>.programs.neovim.enable`, by the package manager's names (`environment.package_manager`): the default, `neovim`, is Debian's, Fedora's and Arch's. One name of letters, digits and `+ . _ @ -`; extra packages go in `environment.system_packages`. `vi_alias` and `vim_alias` expect it to install `/usr/bin/nvim`."
  example     = "neovim"
}

option "programs.neovim.default_editor" {
  type        = bool
  default     = false
  description = "Make nvim every user's editor: `EDITOR=nvim` in `environment.variables` (`/etc/profile.d/gocfg-variables.sh` for login shells, `/etc/environment.d/50-gocfg-variables.conf` for the users' systemd managers), at NixOS's priority (`override(900, \"nvim\")`), with `enable` only. `VISUAL` is not set, as in NixOS. An `environment.variables.EDITOR` of another value is an error: remove one of the two. A user's `home.<user>.session_variables` or `home.<user>.programs.neovim.default_editor` are read later and win for her."
  example     = true
}

option "programs.neovim.vi_alias" {
  type        = bool
  default     = false
  description = "Make `vi` run nvim for every user and in scripts (NixOS's `viAlias`, a symlink in its package): on Debian, `update-alternatives --set vi /usr/bin/nvim` (Debian's neovim registers the alternative; without this `vim`'s, when installed, wins), run by the hook of `/etc/gocfg/neovim-alternatives` after the switch. Turned off, the alternative goes back to automatic (`update-alternatives --auto vi`) if it still points at nvim. Not applied under `--root` (hooks do not run there) nor on Fedora and Arch, whose neovim has no such alternative (a warning). For one user's shells, see `home.<user>.programs.neovim.vi_alias`."
  example     = true
}

option "programs.neovim.vim_alias" {
  type        = bool
  default     = false
  description = "Make `vim` run nvim for every user and in scripts (NixOS's `vimAlias`), as `vi_alias` does for `vi`: `update-alternatives --set vim /usr/bin/nvim` on Debian, back to automatic when turned off."
  example     = true
}

option "programs.neovim.configure.custom_rc" {
  type        = lines
  default     = ""
  description = "Vimscript written as it is to `/etc/xdg/nvim/sysinit.vim` (NixOS's `configure.customRC`), which every user's nvim reads at its start, before her own `~/.config/nvim/init.vim` or `init.lua` (whose settings then win). Lua goes in a `lua << EOF` block (nvim 0.7 reads no `sysinit.lua`). Lines of several definitions are joined in module order. Not checked before the switch: an error shows when nvim starts. Empty (the default), no file is written. Other files of nvim's system folder (NixOS's `runtime`) are `environment.etc.\"xdg/nvim/<path>\"` entries."
  example     = "set number\nset expandtab shiftwidth=2\nlet g:mapleader = ' '"
}

option "home" {
  type = attrs_of(submodule({
    "programs.neovim.enable" = {
      type        = bool
      default     = false
      description = "Write the user's Neovim configuration from the options below (home-manager's `programs.neovim`), and install nvim as `programs.neovim.enable` does (the package `programs.neovim.package`; not on macOS, where a warning says to install it with Homebrew). nvim reads `~/.config/nvim/init.vim` or `~/.config/nvim/init.lua` after `/etc/xdg/nvim/sysinit.vim`, and refuses both at once (E5422): gocfg writes one of them (see `extra_lua_config`), and a `home.<user>.files` entry for `.config/nvim` or either file is an error. An unmanaged file already at the path gocfg writes is left alone and reported: move it away (or into `extra_config`), or let gocfg replace it with `home_files.<user>.\".config/nvim/init.lua\".force = true`; an unmanaged init of the other kind stays, and nvim then complains: delete it. Turning it off removes the files and the shell lines."
      example     = true
    }
    "programs.neovim.default_editor" = {
      type        = bool
      default     = false
      description = "Make nvim the user's editor, `EDITOR=nvim` and `VISUAL=nvim` (home-manager's `defaultEditor`): `export` lines at the end of the `~/.bashrc` and `~/.zshrc` that `home.<user>.programs.bash` and `programs.zsh` write (interactive shells and what they start; a shell file gocfg does not write gets nothing), and `~/.config/environment.d/70-gocfg-neovim.conf` on Linux, which the user's systemd manager reads at its start (graphical sessions and user services, from the next login). A `home.<user>.session_variables` (or `programs.zsh.session_variables`) `EDITOR` or `VISUAL` of another value is an error: remove one of the two."
      example     = true
    }
    "programs.neovim.vi_alias" = {
      type        = bool
      default     = false
      description = "`alias vi=nvim` in the `~/.bashrc` and `~/.zshrc` that `home.<user>.programs.bash` and `programs.zsh` write (home-manager's `viAlias` is a symlink in the user's Nix profile; gocfg has no folder of the user's it knows to be in `PATH`): interactive shells only, not scripts. Without those modules nothing is written, with a warning. An alias `vi` of another value in `programs.bash.aliases` or `programs.zsh.aliases` is an error. `programs.neovim.vi_alias` makes `vi` nvim for everyone, scripts included."
      example     = true
    }
    "programs.neovim.vim_alias" = {
      type        = bool
      default     = false
      description = "`alias vim=nvim`, as `vi_alias` does for `vi` (home-manager's `vimAlias`)."
      example     = true
    }
    "programs.neovim.extra_config" = {
      type        = lines
      default     = ""
      description = "Vimscript for the user's nvim (home-manager's `extraConfig`), written as it is. Alone, it is `~/.config/nvim/init.vim`. With `extra_lua_config`, it goes to `~/.config/nvim/gocfg-extra-config.vim`, which `init.lua` sources first (`vim.cmd('source ...')`, with the folder `stdpath('config')` names), before the Lua, as home-manager orders them; as its own file it needs no quoting, so any text is read back as written. Lines of several definitions are joined in module order. Not checked before the switch: an error shows when nvim starts."
      example     = "set number relativenumber\nnnoremap <leader>w :write<CR>"
    }
    "programs.neovim.extra_lua_config" = {
      type        = lines
      default     = ""
      description = "Lua for the user's nvim (home-manager's `extraLuaConfig`), written as it is to `~/.config/nvim/init.lua`, after the line that sources `extra_config` when that is set. Set, there is no `init.vim` (nvim refuses both). Lines of several definitions are joined in module order. Not checked before the switch: an error shows when nvim starts."
      example     = "vim.opt.number = true\nvim.g.mapleader = ' '"
    }
  }))
}

locals {
  nvim     = config.programs.neovim
  nvim_sys = local.nvim.enable && host.os == "linux"
  # The users with neovim on: a few.
  nvim_users = { for user, h in config.home : user => h.programs.neovim if h.programs.neovim.enable }
  # The package, where gocfg drives the package manager (apt, dnf,
  # pacman); macOS has none (a warning below).
  nvim_package = (local.nvim.enable || length(local.nvim_users) > 0) && contains(["debian", "fedora", "arch"], host.distro)
  nvim_bad_package = !can(regex("^[A-Za-z0-9][A-Za-z0-9+._@-]*$", local.nvim.package))

  # The alternatives the system points at nvim (Debian's neovim has them).
  nvim_alternatives = local.nvim_sys ? concat(local.nvim.vi_alias ? ["vi"] : [], local.nvim.vim_alias ? ["vim"] : []) : []
  nvim_alt_applied  = length(local.nvim_alternatives) > 0 && host.distro == "debian"

  # EDITOR: another value of environment.variables wins over override(900).
  nvim_editor_clash = local.nvim_sys && local.nvim.default_editor && lookup(config.environment.variables, "EDITOR", "nvim") != "nvim"

  # Each user's files: init.vim for Vimscript alone; init.lua, and the
  # Vimscript in a file of its own that it sources, with Lua.
  nvim_files = {
    for user, n in local.nvim_users : user => merge(
      n.extra_lua_config == "" && n.extra_config != "" ? {
        ".config/nvim/init.vim" = "\" Written by gocfg from home.${user}.programs.neovim.extra_config; replaced by every switch.\n${trimsuffix(n.extra_config, "\n")}\n"
      } : {},
      n.extra_lua_config != "" ? {
        ".config/nvim/init.lua" = join("\n", concat(
          ["-- Written by gocfg from home.${user}.programs.neovim; replaced by every switch."],
          n.extra_config == "" ? [] : ["vim.cmd('source ' .. vim.fn.fnameescape(vim.fn.stdpath('config') .. '/gocfg-extra-config.vim'))"],
          [trimsuffix(n.extra_lua_config, "\n"), ""],
        ))
      } : {},
      n.extra_lua_config != "" && n.extra_config != "" ? {
        ".config/nvim/gocfg-extra-config.vim" = "\" Written by gocfg from home.${user}.programs.neovim.extra_config; replaced by every switch.\n\" ~/.config/nvim/init.lua sources it.\n${trimsuffix(n.extra_config, "\n")}\n"
      } : {},
    )
  }

  # Each user's shell lines (the same for bash and zsh).
  nvim_shell = {
    for user, n in local.nvim_users : user => join("\n", concat(
      n.vi_alias ? ["alias -- vi='nvim'"] : [],
      n.vim_alias ? ["alias -- vim='nvim'"] : [],
      n.default_editor ? ["export EDITOR='nvim' VISUAL='nvim'"] : [],
    ))
  }

  # Conflicts, as option paths.
  nvim_files_clash = flatten([
    for user, n in local.nvim_users : [
      for target in [".config/nvim", ".config/nvim/", ".config/nvim/init.vim", ".config/nvim/init.lua"] : "home.${jsonencode(user)}.files.${jsonencode(target)}"
      if contains(keys(try(config.home[user].files, {})), target)
    ] if length(local.nvim_files[user]) > 0
  ])
  nvim_var_clash = flatten([
    for user, n in local.nvim_users : [
      for v in [
        { at = "session_variables", vars = try(config.home[user].session_variables, {}) },
        { at = "programs.zsh.session_variables", vars = try(config.home[user].programs.zsh.session_variables, {}) },
        ] : [
        for name in ["EDITOR", "VISUAL"] : "home.${jsonencode(user)}.${v.at}.${name}" if lookup(v.vars, name, "nvim") != "nvim"
      ]
    ] if n.default_editor
  ])
  # Aliases vi and vim of another value, by the alias.
  nvim_alias_clash = {
    for a in ["vi", "vim"] : a => flatten([
      for user, n in local.nvim_users : [
        for sh in ["bash", "zsh"] : "home.${jsonencode(user)}.programs.${sh}.aliases.${a}" if lookup(try(config.home[user].programs[sh].aliases, {}), a, "nvim") != "nvim"
      ] if n["${a}_alias"]
    ])
  }
  # Users whose aliases or EDITOR have no shell file of gocfg's to go in.
  nvim_no_shell = [
    for user, n in local.nvim_users : "home.${jsonencode(user)}.programs.neovim"
    if(n.vi_alias || n.vim_alias || n.default_editor) && !try(config.home[user].programs.bash.enable, false) && !try(config.home[user].programs.zsh.enable, false)
  ]

  # Options set while enable is false, by the path of their options.
  nvim_unused = concat(
    !local.nvim.enable && (local.nvim.default_editor || local.nvim.vi_alias || local.nvim.vim_alias || local.nvim.configure.custom_rc != "" || local.nvim.package != "neovim") ? ["programs.neovim"] : [],
    [
      for user, h in config.home : "home.${jsonencode(user)}.programs.neovim"
      if !h.programs.neovim.enable && (h.programs.neovim.default_editor || h.programs.neovim.vi_alias || h.programs.neovim.vim_alias || h.programs.neovim.extra_config != "" || h.programs.neovim.extra_lua_config != "")
    ],
  )
}

environment {
  system_packages = local.nvim_package && !local.nvim_bad_package ? [local.nvim.package] : []

  variables = when(local.nvim_sys && local.nvim.default_editor, { EDITOR = override(900, "nvim") })

  # No force: an unmanaged file already there stops the switch (Debian's
  # neovim ships none).
  etc "xdg/nvim/sysinit.vim" {
    when = local.nvim_sys && local.nvim.configure.custom_rc != ""
    text = "\" Written by gocfg from programs.neovim.configure.custom_rc; replaced by every switch.\n${trimsuffix(local.nvim.configure.custom_rc, "\n")}\n"
  }

  # The names of the alternatives gocfg points at nvim, for its hook:
  # set when listed; back to automatic when not (the file changed, or
  # gone: the hook of the generation that had it runs), only if still
  # nvim's, and only if the alternative is there at all (the package
  # removed in the same switch took nvim's away).
  etc "gocfg/neovim-alternatives" {
    when = local.nvim_alt_applied
    text = join("\n", concat(
      [
        "# Written by gocfg from programs.neovim.vi_alias and vim_alias; replaced by every switch.",
        "# These alternatives are pinned to /usr/bin/nvim (update-alternatives --set).",
      ],
      local.nvim_alternatives,
      [""],
    ))
    on_change = <<-SH
      f=/etc/gocfg/neovim-alternatives
      for name in vi vim; do
        if [ -f "$f" ] && grep -qx "$name" "$f"; then
          update-alternatives --set "$name" /usr/bin/nvim
        elif update-alternatives --query "$name" 2>/dev/null | grep -qx 'Value: /usr/bin/nvim'; then
          update-alternatives --auto "$name"
        fi
      done
    SH
  }
}

# The users' shell lines; when: without a neovim user, not evaluated.
shell_init = when(length(local.nvim_users) > 0, {
  for user, n in local.nvim_users : user => {
    neovim = { bash = local.nvim_shell[user], zsh = local.nvim_shell[user] }
  }
})

# when: without a neovim user, the files' expression is not evaluated.
home_files = when(length(local.nvim_users) > 0, {
  for user, n in local.nvim_users : user => merge(
    { for path, text in local.nvim_files[user] : path => { text = text, generated_by = "home.${user}.programs.neovim" } },
    n.default_editor && host.os == "linux" ? {
      ".config/environment.d/70-gocfg-neovim.conf" = {
        generated_by = "home.${user}.programs.neovim.default_editor"
        text         = "# Written by gocfg from home.${user}.programs.neovim.default_editor; replaced by every switch.\nEDITOR=nvim\nVISUAL=nvim\n"
      }
    } : {},
  ) if length(local.nvim_files[user]) > 0 || n.default_editor && host.os == "linux"
})

assert {
  condition = !(local.nvim.enable || length(local.nvim_users) > 0) || !local.nvim_bad_package
  message   = "not a package name: ${jsonencode(local.nvim.package)}.\nhint: one name of letters, digits and + . _ @ -, such as \"neovim\"; list other packages in environment.system_packages."
  at        = "programs.neovim.package"
}

assert {
  condition = !local.nvim_editor_clash
  message   = "is ${jsonencode(lookup(config.environment.variables, "EDITOR", ""))}, but programs.neovim.default_editor makes EDITOR nvim.\nhint: remove this EDITOR, or set programs.neovim.default_editor = false."
  at        = "environment.variables.EDITOR"
}

assert {
  condition = length(local.nvim_var_clash) == 0
  message   = "is not nvim, but home.<user>.programs.neovim.default_editor sets EDITOR and VISUAL to nvim.\nhint: remove this variable, or set default_editor = false."
  at        = local.nvim_var_clash
}

assert {
  condition = length(local.nvim_alias_clash.vi) == 0
  message   = "is not nvim, but home.<user>.programs.neovim.vi_alias makes vi an alias of nvim.\nhint: remove this alias, or set vi_alias = false."
  at        = local.nvim_alias_clash.vi
}

assert {
  condition = length(local.nvim_alias_clash.vim) == 0
  message   = "is not nvim, but home.<user>.programs.neovim.vim_alias makes vim an alias of nvim.\nhint: remove this alias, or set vim_alias = false."
  at        = local.nvim_alias_clash.vim
}

assert {
  condition = length(local.nvim_files_clash) == 0
  message   = "home.<user>.programs.neovim writes ~/.config/nvim/init.vim or init.lua from extra_config and extra_lua_config, and nvim reads one init only.\nhint: keep your own files and move what extra_config and extra_lua_config say into them, or remove this entry."
  at        = local.nvim_files_clash
}

warn {
  condition = length(local.nvim_unused) > 0
  message   = "options are set but programs.neovim.enable is false, so gocfg installs no neovim and writes no neovim configuration."
  at        = local.nvim_unused
}

warn {
  condition = length(local.nvim_no_shell) > 0
  message   = "vi_alias, vim_alias and default_editor's export lines go into the ~/.bashrc and ~/.zshrc that home.<user>.programs.bash and programs.zsh write, and neither is enabled, so no shell gets them.\nhint: enable programs.bash or programs.zsh for the user, or add the lines to your own shell files."
  at        = local.nvim_no_shell
}

warn {
  condition = length(local.nvim_alternatives) > 0 && !local.nvim_alt_applied
  message   = "vi_alias and vim_alias use Debian's alternatives, which ${host.distro == "linux" ? "this system" : host.distro}'s neovim does not register, so vi and vim are left as they are.\nhint: use home.<user>.programs.neovim.vi_alias (shell aliases) instead."
  at        = [for name in ["vi_alias", "vim_alias"] : "programs.neovim.${name}" if local.nvim[name]]
}

warn {
  condition = host.os == "darwin" && local.nvim.enable
  message   = "applied on Linux only; on macOS neovim is not installed and nothing is written: install neovim with Homebrew and use home.<user>.programs.neovim."
  at        = "programs.neovim.enable"
}

warn {
  condition = host.os == "darwin" && length(local.nvim_users) > 0
  message   = "macOS has no neovim, and gocfg does not install it there: install it with Homebrew (brew install neovim). The configuration files and shell lines are written."
  at        = [for user, n in local.nvim_users : "home.${jsonencode(user)}.programs.neovim.enable"]
}
