# Homebrew on macOS: environment.system_packages are its formulae (with
# environment.package_manager "brew", or "auto" on a Mac); these options
# add casks and taps. gocfg removes only what it installed or tapped.

option "macos.homebrew.casks" {
  type        = list_of(str)
  default     = []
  description = "Homebrew casks (applications) installed with `brew install --cask`, by their token, or `user/repo/token` for a cask from a tap (whose tap gocfg then adds). gocfg uninstalls only casks it installed itself."
  example     = ["firefox", "iterm2"]
}

option "macos.homebrew.taps" {
  type        = list_of(str)
  default     = []
  description = "Homebrew taps (`user/repo`, the GitHub repository `user/homebrew-repo`) added with `brew tap` before any formula or cask is installed; a formula or cask named `user/repo/name` adds its tap without being listed here. gocfg removes (`brew untap`) only taps it added itself."
  example     = ["hashicorp/tap"]
}

option "macos.homebrew.user" {
  type        = null_or(str)
  default     = null
  description = "User brew runs as when gocfg runs as root (Homebrew refuses to run as root): gocfg runs `sudo -u <user> -H -- env ... brew`. Must be the user who owns the Homebrew prefix (`/opt/homebrew` or `/usr/local`). Null means `macos.primary_user`."
  example     = "alice"
}
