# home.<user>.programs.git (home-manager's programs.git): the user's
# ~/.config/git/config and ~/.config/git/ignore, written with
# gitconfig_encode. This declaration adds "programs.git.*" to the home
# submodule of core/home.hcl; the files are home_files.

option "home" {
  type = attrs_of(submodule({
    "programs.git.enable" = {
      type        = bool
      default     = false
      description = "Install git (the package `git` on Debian, Fedora and Arch, whose package managers gocfg drives; macOS has `/usr/bin/git`) and write the user's git configuration, `~/.config/git/config` (and `~/.config/git/ignore` when `ignores` is set), from the options below. The package goes when no user has it on, if gocfg installed it. git reads both after `/etc/gitconfig` and before `~/.gitconfig`, so a `~/.gitconfig` of yours still wins; gocfg never touches it. An unmanaged file already at either path is left alone and reported: move it away (or into `extra_config`), or let gocfg replace it with `home_files.<user>.\".config/git/config\".force = true`."
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
      description = "Any other settings, as section → key → value: a value is a string, number, bool or list of them (a key repeated); an object is a subsection (`url = { \"git@github.com:\" = { insteadOf = \"https://github.com/\" } }` is `[url \"git@github.com:\"]`). Values are quoted and escaped as git-config(1) reads them. Sections come out sorted, except `include` and `includeIf`, which come last (then `includes`), so that what the included files set overrides the settings here, as git keeps a setting's last value: `includeIf = { \"gitdir:~/work/\" = { path = \"~/.config/git/work.inc\" } }` sets your work email over `user_email` in the repositories under `~/work/`. A key the typed options above set too is an error, and so is one key written twice in names differing only in case (git compares section and key names ignoring case, and would keep only the last value)."
      example = {
        init = { defaultBranch = "main" }
        pull = { rebase = true }
        url  = { "git@github.com:" = { insteadOf = "https://github.com/" } }
      }
    }
    "programs.git.includes" = {
      type = list_of(submodule({
        path = {
          type        = str
          description = "The file to read, as git takes it: `~/` is your home folder, and a relative path is relative to `~/.config/git/`. git skips a file that is not there without a word; an empty path is an error."
          example     = "~/.config/git/work.inc"
        }
        condition = {
          type        = null_or(str)
          default     = null
          description = "When git reads the file (`[includeIf \"<condition>\"]`; null, the default, is always: `[include]`): `gitdir:<pattern>` (the repository is under the pattern: `gitdir:~/work/`), `gitdir/i:<pattern>` (the same, ignoring case), `onbranch:<pattern>` (the branch checked out), or `hasconfig:remote.*.url:<pattern>` (a remote's URL). git skips a condition it does not know without a word, so gocfg refuses one."
          example     = "gitdir:~/work/"
        }
      }))
      default     = []
      description = "Other git config files to read (home-manager's `programs.git.includes`), in this order, at the end of `~/.config/git/config`, after `extra_config`'s own `include` and `includeIf` sections: git keeps a setting's last value, so what they set overrides the options above. home-manager's `contents` (settings it writes to a file of its own) is not supported: gocfg makes no file in your home under a name you did not choose. To have gocfg write the included file, set it in `home.<user>.files` (`\".config/git/work.inc\" = { text = gitconfig_encode({ user = { email = \"jane@work.example\" } }) }`) and name it in `path`."
      example     = [{ path = "~/.config/git/work.inc", condition = "gitdir:~/work/" }]
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

  # includes, after everything gitconfig_encode writes (extra_config's
  # includes last), each its own section, in the list's order.
  git_includes = { for user, g in local.git : user => join("", [for inc in g.includes : gitconfig_encode({
    include   = inc.condition == null ? { path = inc.path } : null
    includeIf = inc.condition == null ? null : { (inc.condition) = { path = inc.path } }
  })]) }

  # What gitconfig_encode refuses, or git reads otherwise than the user
  # means, found here, so that each error is an assert pointing at the
  # user's line: gitconfig_encode's own error would point at its call in
  # home_files below. git_at is the path of a user's options (for at),
  # git_name the same as a message prints it.
  git_at   = { for user, g in local.git : user => "home.${jsonencode(user)}.programs.git" }
  git_name = { for user, g in local.git : user => "home.${can(regex("^[A-Za-z_][A-Za-z0-9_-]*$", user)) ? user : jsonencode(user)}.programs.git" }
  # The settings the typed options write, beside extra_config.
  git_typed_config = { for user, g in local.git : user => {
    user = {
      name       = g.user_name
      email      = g.user_email
      signingKey = g.signing.key
    }
    alias  = g.aliases
    commit = { gpgSign = g.signing.sign_by_default ? true : null }
    tag    = { gpgSign = g.signing.sign_by_default ? true : null }
  } }
  # What git-config(1) refuses in extra_config, or git would read
  # otherwise than meant, as for programs.git (core/git.hcl): bad names,
  # values of another type or holding a NUL, one setting twice in names
  # differing in case, and a key a typed option sets too.
  git_found = { for user, g in local.git : user => gitconfig_problems(g.extra_config, "${local.git_at[user]}.extra_config", local.git_typed_config[user]) }
  git_bad_sections = { for user, f in local.git_found : user => [for p in f : p if p.kind == "section"] }
  git_bad_keys = { for user, g in local.git : user => concat(
    [for p in local.git_found[user] : p.at if p.kind == "key"],
    [for k, _ in g.aliases : "${local.git_at[user]}.aliases.${jsonencode(k)}" if !can(regex("^[A-Za-z][A-Za-z0-9-]*$", k))],
  ) }
  git_all_found = flatten(values(local.git_found))
  # The keys the typed options set, in lower case (git ignores the case
  # of section and key names), each with its option.
  git_typed = { for user, g in local.git : user => merge(
    { for t in [
      ["user.name", "user_name", g.user_name != null],
      ["user.email", "user_email", g.user_email != null],
      ["user.signingkey", "signing.key", g.signing.key != null],
      ["commit.gpgsign", "signing.sign_by_default", g.signing.sign_by_default],
      ["tag.gpgsign", "signing.sign_by_default", g.signing.sign_by_default],
    ] : t[0] => t[1] if t[2] },
    { for k, _ in g.aliases : "alias.${lower(k)}" => "aliases.${can(regex("^[A-Za-z_][A-Za-z0-9_-]*$", k)) ? k : jsonencode(k)}" },
  ) }
  git_twice = { for user, f in local.git_found : user => [
    for p in f : { at = p.at, name = p.name, by = "${local.git_name[user]}.${local.git_typed[user][p.setting]}" } if p.kind == "twice"
  ] }
  # includes: a path, and a condition git knows (it skips any other
  # without a word).
  git_include_bad = { for user, g in local.git : user => [
    for i, inc in g.includes : {
      at   = "${local.git_at[user]}.includes"
      user = user
      name = "includes[${i}]"
      path = trimspace(inc.path) == ""
      cond = inc.condition != null && !can(regex("^(gitdir|gitdir/i|onbranch|hasconfig:remote\\.\\*\\.url):[^\\x00\\n]+$", coalesce(inc.condition, "-")))
    }
  ] }
  git_problems = { for user, g in local.git : user => concat(
    local.git_found[user], local.git_bad_keys[user],
    [for p in local.git_include_bad[user] : p if p.path || p.cond],
  ) }

  git_all_bad_sections = flatten(values(local.git_bad_sections))
  # The one mistake to guess: [includeIf "gitdir:~/work/"] written as
  # git writes it, the subsection inside the section's name.
  git_section_guess = length(local.git_all_bad_sections) == 1 ? regexall("^([A-Za-z0-9.-]+)\\s+\"(.*)\"$", local.git_all_bad_sections[0].name) : []
  git_all_twice     = flatten(values(local.git_twice))
  # The settings written twice in extra_config, by name:
  # "init.defaultBranch and init.defaultbranch".
  git_case_groups = distinct([for p in local.git_all_found : p.group if p.kind == "case"])
  # An include is named by its index, after its user's path when more
  # than one user's includes are at fault.
  git_all_bad_paths = [
    for p in flatten(values(local.git_include_bad)) : length(distinct([for q in flatten(values(local.git_include_bad)) : q.user if q.path])) == 1 ? p.name : "${local.git_name[p.user]}.${p.name}"
    if p.path
  ]
  git_all_bad_conds = [
    for p in flatten(values(local.git_include_bad)) : length(distinct([for q in flatten(values(local.git_include_bad)) : q.user if q.cond])) == 1 ? p.name : "${local.git_name[p.user]}.${p.name}"
    if p.cond
  ]
  git_bad_include_at = {
    path = distinct([for p in flatten(values(local.git_include_bad)) : p.at if p.path])
    cond = distinct([for p in flatten(values(local.git_include_bad)) : p.at if p.cond])
  }
  # Users who set git options but left programs.git.enable false.
  git_unused = [
    for user, h in config.home : user
    if !h.programs.git.enable && (h.programs.git.user_name != null || h.programs.git.user_email != null || h.programs.git.signing.key != null || length(h.programs.git.aliases) > 0 || length(h.programs.git.ignores) > 0 || length(h.programs.git.extra_config) > 0 || length(h.programs.git.includes) > 0)
  ]
}

# git itself, as home-manager's programs.git installs it (tester W:
# enabling it wrote the configuration of a git the machine did not have).
# macOS has git already (/usr/bin/git, with the Command Line Tools). Only
# on the distributions whose package manager gocfg drives (apt, dnf,
# pacman): elsewhere a package in the list would fail the plan.
environment {
  system_packages = length(local.git) > 0 && contains(["debian", "fedora", "arch"], host.distro) ? ["git"] : []
}

home_files = {
  for user, g in local.git : user => merge(
    {
      ".config/git/config" = {
        generated_by = "home.${user}.programs.git"
        text = "# Written by gocfg from home.${user}.programs.git; replaced by every switch.\n${gitconfig_encode(
          local.git_typed_config[user],
          g.extra_config,
        )}${local.git_includes[user]}"
      }
    },
    { for path, lines in { ".config/git/ignore" = g.ignores } : path => { text = join("\n", concat(lines, [""])), generated_by = "home.${user}.programs.git" } if length(lines) > 0 },
  )
  # A user whose git options an assert below refuses gets no file: the
  # assert points at her line, gitconfig_encode's own error at this one.
  if length(local.git_problems[user]) == 0
}

warn {
  condition = length(local.git_unused) > 0
  message   = "options are set but programs.git.enable is false, so gocfg writes no git configuration."
  at        = [for user in local.git_unused : "home.${jsonencode(user)}.programs.git"]
}

assert {
  condition = length(local.git_all_bad_sections) == 0
  message = "a section name is letters, digits, - and . only, and a subsection is an object inside its section: ${length(local.git_section_guess) == 1
    ? "[${local.git_all_bad_sections[0].name}] is ${local.git_section_guess[0][0]} = { ${jsonencode(local.git_section_guess[0][1])} = { ... } }"
    : "[includeIf \"gitdir:~/work/\"] is includeIf = { \"gitdir:~/work/\" = { ... } }"
  }."
  at = [for p in local.git_all_bad_sections : p.at]
}

assert {
  condition = length(flatten(values(local.git_bad_keys))) == 0
  message   = "a git key starts with a letter and holds only letters, digits and -."
  at        = flatten(values(local.git_bad_keys))
}

assert {
  condition = length([for p in local.git_all_found : p if p.kind == "subsection"]) == 0
  message   = "a subsection name cannot hold a line break or a NUL character."
  at        = [for p in local.git_all_found : p.at if p.kind == "subsection"]
}

assert {
  condition = length([for p in local.git_all_found : p if p.kind == "value"]) == 0
  message   = "a value is a string, number, bool or a list of them (the key repeated); an object is a subsection, directly inside a section."
  at        = [for p in local.git_all_found : p.at if p.kind == "value"]
}

assert {
  condition = length([for p in local.git_all_found : p if p.kind == "nul"]) == 0
  message   = "a git config value cannot hold a NUL character."
  at        = [for p in local.git_all_found : p.at if p.kind == "nul"]
}

assert {
  condition = length(local.git_case_groups) == 0
  message   = "git ignores the case of section and key names, so ${join("; ", local.git_case_groups)} ${length(local.git_case_groups) == 1 ? "are one setting" : "are each one setting"}, and git would keep only the last value: set ${length(local.git_case_groups) == 1 ? "it" : "each"} once (a list for several values)."
  at        = [for p in local.git_all_found : p.at if p.kind == "case"]
}

# One message serves every path in at: with several keys set twice it
# names each one's typed option.
assert {
  condition = length(local.git_all_twice) == 0
  message = (length(local.git_all_twice) == 1
    ? "${local.git_all_twice[0].name} is also set by ${local.git_all_twice[0].by}: set it in one place."
    : "these keys are also set by typed options: ${join(", ", [for t in local.git_all_twice : "${t.name} (${t.by})"])}. Set each in one place."
  )
  at = [for t in local.git_all_twice : t.at]
}

assert {
  condition = length(local.git_all_bad_paths) == 0
  message = (length(local.git_all_bad_paths) == 1
    ? "the path of ${local.git_all_bad_paths[0]} is empty: name the file git reads, such as \"~/.config/git/work.inc\"."
    : "the paths of ${join(", ", local.git_all_bad_paths)} are empty: name the files git reads, such as \"~/.config/git/work.inc\"."
  )
  at = local.git_bad_include_at.path
}

assert {
  condition = length(local.git_all_bad_conds) == 0
  message = "${length(local.git_all_bad_conds) == 1
    ? "the condition of ${local.git_all_bad_conds[0]} is not one git knows, and git would skip its file"
    : "the conditions of ${join(", ", local.git_all_bad_conds)} are not ones git knows, and git would skip their files"
  } without a word: a condition is gitdir:<pattern>, gitdir/i:<pattern>, onbranch:<pattern> or hasconfig:remote.*.url:<pattern>."
  at = local.git_bad_include_at.cond
}
