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

  # Every key of config: in a section (sub = null) or in a subsection,
  # with its value; id is the setting as git compares it (section and
  # key names ignoring case, a subsection's name exactly).
  git_sys_entries = flatten([for s, sec in local.git_sys.config : concat(
    [for k, v in sec : { at = "programs.git.config.${jsonencode(s)}.${jsonencode(k)}", name = "${s}.${k}", id = "${lower(s)}\n\n${lower(k)}", section = s, sub = null, key = k, value = v } if !can(keys(v))],
    flatten([for k, v in sec : [
      for kk, vv in v : { at = "programs.git.config.${jsonencode(s)}.${jsonencode(k)}.${jsonencode(kk)}", name = "${s}.${k}.${kk}", id = "${lower(s)}\n${k}\n${lower(kk)}", section = s, sub = k, key = kk, value = vv }
    ] if can(keys(v))]),
  )])
  # Names as git-config(1) allows them: a section is letters, digits, -
  # and .; a subsection anything but a newline or NUL; a key starts with
  # a letter and holds letters, digits and -.
  git_sys_bad_sections = [
    for s, _ in local.git_sys.config : { at = "programs.git.config.${jsonencode(s)}", name = s }
    if !can(regex("^[A-Za-z0-9.-]+$", s))
  ]
  # The one mistake to guess: [url "https://github.com/"] written as git
  # writes it, the subsection inside the section's name.
  git_sys_section_guess = length(local.git_sys_bad_sections) == 1 ? regexall("^([A-Za-z0-9.-]+)\\s+\"(.*)\"$", local.git_sys_bad_sections[0].name) : []
  git_sys_bad_subsections = flatten([
    for s, sec in local.git_sys.config : [
      for k, v in sec : "programs.git.config.${jsonencode(s)}.${jsonencode(k)}" if can(keys(v)) && can(regex("[\\n\\x00]", k))
    ]
  ])
  git_sys_bad_keys = [for e in local.git_sys_entries : e.at if !can(regex("^[A-Za-z][A-Za-z0-9-]*$", e.key))]
  # A value is null, a scalar (lower() takes strings, numbers and bools,
  # nothing else) or a list of them; an object only directly in a
  # section, as a subsection.
  git_sys_bad_values = [
    for e in local.git_sys_entries : e.at
    if !(e.value == null || can(lower(e.value)) || !can(keys(e.value)) && can([for x in e.value : x == null ? "" : lower(x)]))
  ]
  # A NUL, which a git config file cannot hold.
  git_sys_nul_values = [
    for e in local.git_sys_entries : e.at
    if e.value == null ? false : can(regex("\\x00", e.value)) || contains(try([for x in e.value : can(regex("\\x00", x))], []), true)
  ]
  # The same setting twice, its names differing in case only: git reads
  # both lines and keeps the last.
  git_sys_ids = [for e in local.git_sys_entries : e.id if e.value != null]
  git_sys_case_twice = [
    for e in local.git_sys_entries : { at = e.at, name = e.name, id = e.id }
    if e.value != null && length([for id in local.git_sys_ids : id if id == e.id]) > 1
  ]
  # Those names, by setting: "init.defaultBranch and init.defaultbranch".
  git_sys_case_groups = [
    for id in distinct([for t in local.git_sys_case_twice : t.id]) : join(" and ", [for t in local.git_sys_case_twice : t.name if t.id == id])
  ]
  # The keys lfs.enable sets, set in config too.
  git_sys_lfs_twice = [
    for e in local.git_sys_entries : { at = e.at, name = e.name }
    if local.git_sys.lfs.enable && e.value != null && e.sub == "lfs" && lower(e.section) == "filter" && contains(keys(local.git_sys_lfs), lower(e.key))
  ]
  git_sys_problems = length(concat(
    local.git_sys_bad_sections, local.git_sys_bad_subsections, local.git_sys_bad_keys, local.git_sys_bad_values,
    local.git_sys_nul_values, local.git_sys_case_twice, local.git_sys_lfs_twice,
  ))

  # The settings, when nothing above refuses them (gitconfig_encode's own
  # error would point at this line, not the user's).
  git_sys_body = local.git_sys.enable && local.git_sys_problems == 0 ? gitconfig_encode(
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
  condition = length(local.git_sys_bad_sections) == 0
  message = "a section name is letters, digits, - and . only, and a subsection is an object inside its section: ${length(local.git_sys_section_guess) == 1
    ? "[${local.git_sys_bad_sections[0].name}] is ${local.git_sys_section_guess[0][0]} = { ${jsonencode(local.git_sys_section_guess[0][1])} = { ... } }"
    : "[url \"https://github.com/\"] is url = { \"https://github.com/\" = { ... } }"
  }."
  at = [for p in local.git_sys_bad_sections : p.at]
}

assert {
  condition = length(local.git_sys_bad_subsections) == 0
  message   = "a subsection name cannot hold a line break or a NUL character."
  at        = local.git_sys_bad_subsections
}

assert {
  condition = length(local.git_sys_bad_keys) == 0
  message   = "a git key starts with a letter and holds only letters, digits and -."
  at        = local.git_sys_bad_keys
}

assert {
  condition = length(local.git_sys_bad_values) == 0
  message   = "a value is a string, number, bool or a list of them (the key repeated); an object is a subsection, directly inside a section."
  at        = local.git_sys_bad_values
}

assert {
  condition = length(local.git_sys_nul_values) == 0
  message   = "a git config value cannot hold a NUL character."
  at        = local.git_sys_nul_values
}

assert {
  condition = length(local.git_sys_case_twice) == 0
  message   = "git ignores the case of section and key names, so ${join("; ", local.git_sys_case_groups)} ${length(local.git_sys_case_groups) == 1 ? "are one setting" : "are each one setting"}, and git would keep only the last value: set ${length(local.git_sys_case_groups) == 1 ? "it" : "each"} once (a list for several values)."
  at        = [for t in local.git_sys_case_twice : t.at]
}

assert {
  condition = length(local.git_sys_lfs_twice) == 0
  message   = "${join(", ", [for t in local.git_sys_lfs_twice : t.name])} ${length(local.git_sys_lfs_twice) == 1 ? "is" : "are"} also set by programs.git.lfs.enable: set ${length(local.git_sys_lfs_twice) == 1 ? "it" : "them"} in one place."
  at        = [for t in local.git_sys_lfs_twice : t.at]
}
