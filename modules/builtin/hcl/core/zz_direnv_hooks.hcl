# The hooks of home.<user>.programs.direnv (core/home_direnv.hcl, which
# declares the options) in the user's ~/.bashrc and ~/.zshrc: one more
# definition of the text of the home_files that core/bash.hcl and
# core/zsh.hcl make, a `lines` option, whose definitions join in module
# order. A module cannot add to home.<user>.programs.bash.init_extra (a
# definition of `home` computed from `home` would depend on itself), and
# after() orders definitions only at the depth it is written at (here
# home_files, not a file's text). So this file is named to be loaded
# after bash.hcl and zsh.hcl (built-in modules load sorted by path): the
# hook ends the file, after init_extra, as home-manager's mkAfter puts
# it and as direnv wants it (after what else changes the prompt; lines a
# configuration's own home_files add to the text come after it still,
# as the entry modules load after the built-in ones). Only
# for a user whose programs.bash (zsh) is on: otherwise there is no such
# file to add to, and a text of the hook alone would make one.

locals {
  direnv_hook_users = { for user, h in config.home : user => h if h.programs.direnv.enable }
  direnv_hook_bash  = [for user, h in local.direnv_hook_users : user if h.programs.direnv.enable_bash_integration && h.programs.bash.enable]
  direnv_hook_zsh   = [for user, h in local.direnv_hook_users : user if h.programs.direnv.enable_zsh_integration && h.programs.zsh.enable]
}

# No generated_by: bash's and zsh's name the file.
home_files = when(length(local.direnv_hook_users) > 0, {
  for user in distinct(concat(local.direnv_hook_bash, local.direnv_hook_zsh)) : user => merge(
    contains(local.direnv_hook_bash, user) ? { ".bashrc" = { text = "eval \"$(direnv hook bash)\"\n" } } : {},
    contains(local.direnv_hook_zsh, user) ? { ".zshrc" = { text = "eval \"$(direnv hook zsh)\"\n" } } : {},
  )
})
