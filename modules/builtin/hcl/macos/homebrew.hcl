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

option "macos.homebrew.cleanup" {
  type        = enum(["none", "uninstall", "zap"])
  default     = "none"
  description = "What to do with the formulae and casks Homebrew has that the configuration does not name (nix-darwin's `homebrew.onActivation.cleanup`): `none` leaves them; `uninstall` removes them with `brew uninstall`; `zap` also removes the casks' files (`brew uninstall --cask --zap`: preferences, caches, support files). Only formulae installed on request (`brew leaves --installed-on-request`) and casks are candidates: formulae brew installed as dependencies are never removed (`brew autoremove` does that), nor taps. The plan lists every removal before anything happens. A switch that fails installs them again, best effort (the current version; a zapped cask's files are gone), and a rollback does not bring them back. App Store apps are not touched. It acts only when some formula, cask or tap is declared."
  example     = "uninstall"
}

option "macos.homebrew.mas_apps" {
  type        = attrs_of(int)
  default     = {}
  description = "Mac App Store apps (nix-darwin's `homebrew.masApps`), by a name of your choice → the app's App Store id (the number in its App Store address, `…/id497799835`), installed with `mas install <id>` as the user brew runs as, who must be signed in to the App Store. When any is set, gocfg adds the formula `mas` to the formulae. An app is never uninstalled, unless `macos.homebrew.cleanup` is `uninstall` or `zap` and gocfg installed the app itself: then `mas uninstall <id>` (as root) removes it once it is no longer listed. Apps Apple ships or that were installed by hand are never removed."
  example     = { Xcode = 497799835, Things = 904280696 }
}
