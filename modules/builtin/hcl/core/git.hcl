# programs.git (NixOS's programs.git): the package git (and git-lfs) and
# the system-wide /etc/gitconfig (Linux), written with gitconfig_encode
# from programs.git.config and, with programs.git.lfs.enable, the
# [filter "lfs"] section NixOS writes. What gitconfig_encode refuses, or
# git would read otherwise than the user means, is an assert at the
# user's line; the real git parses the candidate file (git config -f)
# when the plan is made. Each user's own file is home.<user>.programs.git
# (core/home_git.hcl).

option "programs.git.enable" {
  type        = bool
  default     = false
  description = "Install git (the package `git` on Debian, Fedora and Arch, whose package managers gocfg drives) and write `/etc/gitconfig`, git's system-wide configuration, from `programs.git.config` (NixOS's `programs.git`). Every user's git reads it first, before `~/.config/git/config`, `~/.gitconfig` (see `home.<user>.programs.git`) and the repository's own `.git/config`, and keeps a setting's last value: what a user or a repository sets wins over it. As on NixOS, the file is written only when there is something in it (`config` or `lfs.enable`). A new text is parsed by git before it replaces the old one (`git config -f <file> --list`): a file git cannot read fails the plan, showing git's message; the check is skipped while git is not installed (on the switch that installs it). An unmanaged `/etc/gitconfig` already there stops the switch (Debian's, Fedora's and Arch's packages ship none): move its settings into `programs.git.config` first. Turning it off removes the file, and the package if gocfg installed it and no user has `home.<user>.programs.git.enable`. Linux only: on macOS nothing is installed or written, with a warning (the git there, Apple's or Homebrew's, reads the system file under its own prefix, which `git config --system --list` names, not `/etc/gitconfig`): use `home.<user>.programs.git`."
  example     = true
}

option "programs.git.config" {
  type        = attrs_of(attrs_of(anything))
  default     = {}
  description = "The settings of `/etc/gitconfig`, as section → key → value (NixOS's `programs.git.config`, in its attribute-set form; the list form, for an order of sections, is not supported: sections come out sorted). A value is a string, number, bool or list of them (the key repeated, a multi-valued variable, in the list's order); null leaves the key out. An object is a subsection: `url = { \"https://github.com/\" = { insteadOf = [\"gh:\", \"github:\"] } }` is `[url \"https://github.com/\"]`. Values are quoted and escaped as git-config(1) reads them. `include` and `includeIf` sections come last, so that what the included files set overrides the settings here (git keeps a setting's last value). A section name is letters, digits, - and .; a key starts with a letter and holds letters, digits and -; git ignores the case of both, so two names that differ only in case are the same setting, which is an error here. The definitions of several modules are merged section by section and key by key, as on NixOS; a key two of them set to different values is an error, unless one has a priority (`force(...)` or `default(...)`). Without `programs.git.enable` nothing is written, with a warning."
  example = {
    init = { defaultBranch = "main" }
    url  = { "https://github.com/" = { insteadOf = ["gh:", "github:"] } }
  }
}

option "programs.git.lfs.enable" {
  type        = bool
  default     = false
  description = "Install Git LFS (the package `git-lfs` on Debian, Fedora and Arch) and write its filter to `/etc/gitconfig`, as NixOS's `programs.git.lfs.enable` and `git lfs install --system` do: `[filter \"lfs\"]` with `clean = git-lfs clean -- %f`, `smudge = git-lfs smudge -- %f`, `process = git-lfs filter-process` and `required = true`, so that every user's git stores the files a repository's `.gitattributes` marks `filter=lfs` in LFS. Setting any of these four keys in `programs.git.config` as well is an error. Needs `programs.git.enable`."
  example     = true
}

locals {
  git_sys     = config.programs.git
  git_sys_pkg = local.git_sys.enable && contains(["debian", "fedora", "arch"], host.distro)
  # The section NixOS writes for Git LFS (what git lfs install --system
  # writes).
  git_sys_lfs = {
    clean    = "git-lfs clean -- %f"
    smudge   = "git-lfs smudge -- %f"
    process  = "git-lfs filter-process"
    required = true
  }

  # What git-config(1) refuses in config, or git would read otherwise
  # than meant (gitconfig_problems, which home_git.hcl asks too), by
  # kind: bad names (a section is letters, digits, - and .; a
  # subsection anything but a newline or NUL; a key starts with a letter
  # and holds letters, digits and -), values of another type or holding
  # a NUL, one setting twice in names differing in case only (git reads
  # both lines and keeps the last), and the keys lfs.enable sets.
  git_sys_found = gitconfig_problems(local.git_sys.config, "programs.git.config", local.git_sys.lfs.enable ? { filter = { lfs = local.git_sys_lfs } } : null)
  git_sys_by = { for kind in ["section", "subsection", "key", "value", "nul", "case", "twice"] : kind => [for p in local.git_sys_found : p if p.kind == kind] }
  # The one mistake to guess: [url "https://github.com/"] written as git
  # writes it, the subsection inside the section's name.
  git_sys_section_guess = length(local.git_sys_by.section) == 1 ? regexall("^([A-Za-z0-9.-]+)\\s+\"(.*)\"$", local.git_sys_by.section[0].name) : []
  # The settings written twice, by name: "init.defaultBranch and
  # init.defaultbranch".
  git_sys_case_groups = distinct([for p in local.git_sys_by.case : p.group])

  # The settings, when nothing above refuses them (gitconfig_encode's own
  # error would point at this line, not the user's).
  git_sys_body = local.git_sys.enable && length(local.git_sys_found) == 0 ? gitconfig_encode(
    local.git_sys.lfs.enable ? { filter = { lfs = local.git_sys_lfs } } : null,
    local.git_sys.config,
  ) : ""
}

environment {
  # The packages, where gocfg drives the package manager (apt, dnf,
  # pacman); macOS has git already, and gets a warning below.
  system_packages = concat(
    local.git_sys_pkg ? ["git"] : [],
    local.git_sys_pkg && local.git_sys.lfs.enable ? ["git-lfs"] : [],
  )

  # No force: an unmanaged file already there stops the switch.
  etc "gitconfig" {
    when = local.git_sys.enable && host.os == "linux" && local.git_sys_body != ""
    text = "# Written by gocfg (programs.git); replaced by every switch.\n${local.git_sys_body}"
    # git parses the candidate as it reads /etc/gitconfig (git config -f
    # reads a stream, and follows no include). Without git (the switch
    # that installs it) there is nothing to parse with, and nothing reads
    # the file.
    check = <<-SH
      command -v git >/dev/null 2>&1 || exit 0
      git config -f %s --list >/dev/null
    SH
  }
}

warn {
  condition = !local.git_sys.enable && (length(local.git_sys.config) > 0 || local.git_sys.lfs.enable)
  message   = "options are set but programs.git.enable is false, so gocfg writes no /etc/gitconfig."
  at        = "programs.git"
}

warn {
  condition = host.os == "darwin" && local.git_sys.enable
  message   = "applied on Linux only; on macOS nothing is installed and /etc/gitconfig is not written (the git there, Apple's or Homebrew's, reads the system file under its own prefix, not /etc/gitconfig): use home.<user>.programs.git."
  at        = "programs.git.enable"
}

assert {
  condition = length(local.git_sys_by.section) == 0
  message = "a section name is letters, digits, - and . only, and a subsection is an object inside its section: ${length(local.git_sys_section_guess) == 1
    ? "[${local.git_sys_by.section[0].name}] is ${local.git_sys_section_guess[0][0]} = { ${jsonencode(local.git_sys_section_guess[0][1])} = { ... } }"
    : "[url \"https://github.com/\"] is url = { \"https://github.com/\" = { ... } }"
  }."
  at = [for p in local.git_sys_by.section : p.at]
}

assert {
  condition = length(local.git_sys_by.subsection) == 0
  message   = "a subsection name cannot hold a line break or a NUL character."
  at        = [for p in local.git_sys_by.subsection : p.at]
}

assert {
  condition = length(local.git_sys_by.key) == 0
  message   = "a git key starts with a letter and holds only letters, digits and -."
  at        = [for p in local.git_sys_by.key : p.at]
}

assert {
  condition = length(local.git_sys_by.value) == 0
  message   = "a value is a string, number, bool or a list of them (the key repeated); an object is a subsection, directly inside a section."
  at        = [for p in local.git_sys_by.value : p.at]
}

assert {
  condition = length(local.git_sys_by.nul) == 0
  message   = "a git config value cannot hold a NUL character."
  at        = [for p in local.git_sys_by.nul : p.at]
}

assert {
  condition = length(local.git_sys_by.case) == 0
  message   = "git ignores the case of section and key names, so ${join("; ", local.git_sys_case_groups)} ${length(local.git_sys_case_groups) == 1 ? "are one setting" : "are each one setting"}, and git would keep only the last value: set ${length(local.git_sys_case_groups) == 1 ? "it" : "each"} once (a list for several values)."
  at        = [for p in local.git_sys_by.case : p.at]
}

assert {
  condition = length(local.git_sys_by.twice) == 0
  message   = "${join(", ", [for p in local.git_sys_by.twice : p.name])} ${length(local.git_sys_by.twice) == 1 ? "is" : "are"} also set by programs.git.lfs.enable: set ${length(local.git_sys_by.twice) == 1 ? "it" : "them"} in one place."
  at        = [for p in local.git_sys_by.twice : p.at]
}
