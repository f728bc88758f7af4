# A profile: one switch for the tools and settings of software
# development.
option "profile.developer.enable" {
  type        = bool
  default     = false
  description = "Install development tools and set up the machine for programming."
}

option "profile.developer.languages" {
  type        = list_of(enum(["go", "rust", "python", "node"]))
  default     = []
  description = "Toolchains to install besides the common tools."
  example     = ["go", "python"]
}

locals {
  dev      = config.profile.developer
  language_packages = {
    go     = ["go", "gopls"]
    rust   = ["rustup"]
    python = ["python@3.12", "uv"]
    node   = ["node", "pnpm"]
  }
}

environment {
  when = local.dev.enable

  system_packages = concat(
    ["git", "gh", "jq", "neovim", "ripgrep", "fd"],
    flatten([for l in local.dev.languages : local.language_packages[l]]),
  )
}

macos {
  when = local.dev.enable

  finder {
    show_all_files = true
  }

  defaults = {
    # Xcode: show how long builds take.
    "com.apple.dt.Xcode" = {
      ShowBuildOperationDuration = true
    }
  }
}

home "alice" {
  when = local.dev.enable

  files ".config/nvim" {
    source    = "../../dotfiles/nvim"
    recursive = true
  }
}
