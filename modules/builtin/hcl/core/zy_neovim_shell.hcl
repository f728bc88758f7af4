# The shell lines of home.<user>.programs.neovim (core/neovim.hcl, which
# declares the options): vi_alias and vim_alias as aliases, and
# default_editor's EDITOR and VISUAL as exports, in the user's ~/.bashrc
# and ~/.zshrc, one more definition of the text of the home_files that
# core/bash.hcl and core/zsh.hcl make, a `lines` option, whose
# definitions join in module order. As core/zz_direnv_hooks.hcl says, a
# module cannot add to home.<user>.programs.bash.aliases or init_extra
# (a definition of `home` computed from `home`), so this file is named to
# load after bash.hcl and zsh.hcl (built-in modules load sorted by path)
# and before zz_direnv_hooks.hcl, whose hook stays the last line, as
# direnv wants it. Only for a user whose programs.bash (zsh) is on:
# otherwise there is no such file to add to, and a text of these lines
# alone would make one (core/neovim.hcl warns instead). The values are
# constant (nvim), so no quoting is needed.

locals {
  nvim_shell_users = {
    for user, h in config.home : user => concat(
      h.programs.neovim.vi_alias ? ["alias -- vi='nvim'"] : [],
      h.programs.neovim.vim_alias ? ["alias -- vim='nvim'"] : [],
      h.programs.neovim.default_editor ? ["export EDITOR='nvim' VISUAL='nvim'"] : [],
    ) if h.programs.neovim.enable && (h.programs.bash.enable || h.programs.zsh.enable)
  }
}

# No generated_by: bash's and zsh's name the file.
home_files = when(length(local.nvim_shell_users) > 0, {
  for user, lines in local.nvim_shell_users : user => merge(
    config.home[user].programs.bash.enable ? { ".bashrc" = { text = "${join("\n", lines)}\n" } } : {},
    config.home[user].programs.zsh.enable ? { ".zshrc" = { text = "${join("\n", lines)}\n" } } : {},
  ) if length(lines) > 0
})
