# home_files: files that built-in modules generate in home folders from
# options under home.<user> (programs.git, session_variables). They
# cannot be definitions of home.<user>.files: a definition of `home`
# computed from `home` would depend on itself. The files provider
# manages them as it does home.<user>.files.

option "home_files" {
  type = attrs_of(attrs_of(submodule({
    text = {
      type        = lines
      description = "Content of the file."
    }
    method = {
      type        = enum(["link", "copy"])
      default     = "link"
      description = "As `home.<user>.files.<target>.method`."
    }
    mode = {
      type        = null_or(str)
      description = "As `home.<user>.files.<target>.mode`."
    }
    generated_by = {
      type        = null_or(str)
      description = "The option that makes the file, such as `home.alice.programs.git`: an error about the file names it. Modules set it next to text; without it an error names the module's home_files entry."
    }
    force = {
      type        = bool
      default     = false
      description = "Replace an unmanaged file that is in the way instead of stopping the switch, as `home.<user>.files.<target>.force`; set it next to what a module generates, e.g. `home_files = { alice = { \".config/git/config\" = { force = true } } }`."
    }
  })))
  default     = {}
  description = "Files that the built-in modules generate in users' home folders from options under `home.<user>` (such as `programs.git`), keyed by user name, then by path relative to the home folder. Modules set it; your own files go in `home.<user>.files`, and a path in both is an error."
  example = {
    alice = { ".config/git/ignore" = { text = "*.swp" } }
  }
}

locals {
  # The generated files that home.<user>.files sets too. The loop over
  # every file has one condition and builds nothing for a file it skips;
  # what an error says comes from the few files it keeps (a second
  # condition in that loop cost the cold evaluation of 1,000 users with
  # authorized keys 5%: bench/README.md, "a field per generated file").
  home_files_clash = flatten([
    for user, fs in config.home_files : [
      for target, f in fs : { user = user, target = target, made = f.text != null, by = f.generated_by } if contains(keys(try(config.home[user].files, {})), target)
    ]
  ])
  # Those a module makes, and those no module makes: a user's own file
  # with force set in home_files instead of in its home.<user>.files entry.
  home_files_made = [for c in local.home_files_clash : c if c.made]
  home_files_own  = [for c in local.home_files_clash : c if !c.made]
  # The options that make them: read only when the assert fails.
  home_files_made_by = distinct([for c in local.home_files_made : coalesce(c.by, "a module (home_files.${c.user}.${jsonencode(c.target)})")])
}

assert {
  condition = length(local.home_files_made) == 0
  # One message serves every path in at: with several options at fault
  # it names each file's.
  message = (length(local.home_files_made_by) == 1
    ? "${local.home_files_made_by[0]} makes this file too. Remove it from files, or turn off the option that makes it."
    : "modules make these files too: ${join(", ", [for c in local.home_files_made : "~${c.user}/${c.target} (${coalesce(c.by, "home_files.${c.user}.${jsonencode(c.target)}")})"])}. Remove them from files, or turn off the options that make them."
  )
  at        = [for c in local.home_files_made : "home.${jsonencode(c.user)}.files.${jsonencode(c.target)}"]
}

assert {
  condition = length(local.home_files_own) == 0
  message   = "no module makes this file, and home_files sets options (such as force) of the files modules make. Set force in this entry instead."
  at        = [for c in local.home_files_own : "home.${jsonencode(c.user)}.files.${jsonencode(c.target)}"]
}
