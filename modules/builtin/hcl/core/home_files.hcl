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
  # The option paths of generated files that home.<user>.files sets too.
  home_files_clash = flatten([
    for user, fs in config.home_files : [
      for target, f in fs : "home.${jsonencode(user)}.files.${jsonencode(target)}" if contains(keys(try(config.home[user].files, {})), target)
    ]
  ])
  # The options that make them: read only when the assert fails.
  home_files_clash_by = distinct(flatten([
    for user, fs in config.home_files : [
      for target, f in fs : coalesce(f.generated_by, "a module (home_files.${user}.${jsonencode(target)})") if contains(keys(try(config.home[user].files, {})), target)
    ]
  ]))
}

assert {
  condition = length(local.home_files_clash) == 0
  message   = "${join(" and ", local.home_files_clash_by)} ${length(local.home_files_clash_by) == 1 ? "makes" : "make"} this file too. Remove it from files, or turn off the option that makes it."
  at        = local.home_files_clash
}
