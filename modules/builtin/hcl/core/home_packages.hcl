# home.<user>.packages (home-manager's home.packages): the programs a
# user wants. Without Nix there is no store of packages per user, so
# they are the machine's packages, installed with
# environment.system_packages (platform/packages) when root switches.
# This declaration adds them to the home submodule of core/home.hcl.

option "home" {
  type = attrs_of(submodule({
    packages = {
      type        = list_of(str)
      default     = []
      description = "Packages the user wants, by the name of the machine's package manager (`ripgrep`, `fd-find` on Debian), like home-manager's `home.packages`. gocfg has no per-user package store, so they are installed for the whole machine, as `environment.system_packages` (to which they are added; see there for how they are installed, kept and removed): every user of the machine gets them. That takes root: when a user runs gocfg for her own home, they are skipped with a note, as every package is; ask root to add them, or install them yourself."
      example     = ["ripgrep", "jq"]
    }
  }))
}

environment {
  system_packages = flatten([for user, h in config.home : h.packages])
}

locals {
  # The homes with a name that is no package name (the packages
  # provider's rule), reported at home.<user>.packages, not at the
  # environment.system_packages this module defines.
  home_packages_bad = [
    for user, h in config.home : "home.${jsonencode(user)}.packages"
    if anytrue([for p in h.packages : p == "" || startswith(p, "-") || can(regex("[ \t\n/]", p))])
  ]
}

assert {
  condition = length(local.home_packages_bad) == 0
  message   = "a package name is one word as the package manager knows it, like \"ripgrep\": not empty, not starting with '-', without spaces or '/'."
  at        = local.home_packages_bad
}
