# Alice's dotfiles.
home "alice" {
  files ".zshrc" {
    source = "../../dotfiles/zshrc"
  }

  files ".tmux.conf" {
    source = "../../dotfiles/tmux.conf"
  }

  files ".config/nvim" {
    when      = config.profile.developer.enable
    source    = "../../dotfiles/nvim"
    recursive = true
  }

  files ".config/git/config" {
    text = <<-EOT
      [user]
        name = ${config.me.full_name}
        email = ${config.me.email}
      [init]
        defaultBranch = main
      [core]
        editor = ${config.profile.developer.enable ? "nvim" : "nano"}
    EOT
  }
}
