# home.<user>.programs.git (home-manager's programs.git): the user's
# ~/.config/git/config and ~/.config/git/ignore, written with
# gitconfig_encode. This declaration adds "programs.git.*" to the home
# submodule of core/home.hcl; the files are home_files.

option "home" {
  type = attrs_of(submodule({
    "programs.git.enable" = {
      type        = bool
      default     = false
      description = "Write the user's git configuration, `~/.config/git/config` (and `~/.config/git/ignore` when `ignores` is set), from the options below. git reads both after `/etc/gitconfig` and before `~/.gitconfig`, so a `~/.gitconfig` of yours still wins; gocfg never touches it. An unmanaged file already at either path is left alone and reported: move it away (or into `extra_config`), or let gocfg replace it with `home_files.<user>.\".config/git/config\".force = true`."
      example     = true
    }
    "programs.git.user_name" = {
      type        = null_or(str)
      description = "`user.name`: the name in your commits."
      example     = "Alice Liddell"
    }
    "programs.git.user_email" = {
      type        = null_or(str)
      description = "`user.email`: the email address in your commits."
      example     = "alice@example.org"
    }
    "programs.git.aliases" = {
      type        = attrs_of(str)
      default     = {}
      description = "Git aliases (`[alias]`): `git <name>` runs the value; a value starting with `!` is a shell command."
      example     = { co = "checkout", lg = "log --oneline --graph" }
    }
    "programs.git.ignores" = {
      type        = list_of(str)
      default     = []
      description = "Patterns ignored in every repository (`~/.config/git/ignore`, git's default `core.excludesFile`), one gitignore(5) pattern each."
      example     = ["*.swp", ".direnv/"]
    }
    "programs.git.extra_config" = {
      type        = attrs_of(attrs_of(anything))
      default     = {}
      description = "Any other settings, as section → key → value: a value is a string, number, bool or list of them (a key repeated); an object is a subsection (`url = { \"git@github.com:\" = { insteadOf = \"https://github.com/\" } }` is `[url \"git@github.com:\"]`). Values are quoted and escaped as git-config(1) reads them. Sections come out sorted, except `include` and `includeIf`, which come last, so that what the included files set overrides the settings here, as git keeps a setting's last value: `includeIf = { \"gitdir:~/work/\" = { path = \"~/.config/git/work.inc\" } }` sets your work email over `user_email` in the repositories under `~/work/`. A key the typed options above set too is an error."
      example = {
        init = { defaultBranch = "main" }
        pull = { rebase = true }
        url  = { "git@github.com:" = { insteadOf = "https://github.com/" } }
      }
    }
    "programs.git.signing.key" = {
      type        = null_or(str)
      description = "`user.signingKey`: the key git signs with (a GPG key ID, or an SSH public key file with `gpg.format = \"ssh\"` in `extra_config`)."
      example     = "0x1234567890ABCDEF"
    }
    "programs.git.signing.sign_by_default" = {
      type        = bool
      default     = false
      description = "Sign every commit and tag (`commit.gpgSign` and `tag.gpgSign`)."
      example     = true
    }
  }))
}

locals {
  git = { for user, h in config.home : user => h.programs.git if h.programs.git.enable }
  # Users who set git options but left programs.git.enable false.
  git_unused = [
    for user, h in config.home : user
    if !h.programs.git.enable && (h.programs.git.user_name != null || h.programs.git.user_email != null || h.programs.git.signing.key != null || length(h.programs.git.aliases) > 0 || length(h.programs.git.ignores) > 0 || length(h.programs.git.extra_config) > 0)
  ]
}

home_files = {
  for user, g in local.git : user => merge(
    {
      ".config/git/config" = {
        generated_by = "home.${user}.programs.git"
        text = "# Written by gocfg from home.${user}.programs.git; replaced by every switch.\n${gitconfig_encode(
          {
            user = {
              name       = g.user_name
              email      = g.user_email
              signingKey = g.signing.key
            }
            alias  = g.aliases
            commit = { gpgSign = g.signing.sign_by_default ? true : null }
            tag    = { gpgSign = g.signing.sign_by_default ? true : null }
          },
          g.extra_config,
        )}"
      }
    },
    { for path, lines in { ".config/git/ignore" = g.ignores } : path => { text = join("\n", concat(lines, [""])), generated_by = "home.${user}.programs.git" } if length(lines) > 0 },
  )
}

warn {
  condition = length(local.git_unused) > 0
  message   = "options are set but programs.git.enable is false, so gocfg writes no git configuration."
  at        = [for user in local.git_unused : "home.${jsonencode(user)}.programs.git"]
}
