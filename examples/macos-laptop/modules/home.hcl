# Alice's dotfiles.
home "alice" {
  files ".zshrc" {
    source = "../dotfiles/zshrc"
  }

  files ".config/git/config" {
    text = <<-EOT
      [user]
        name = ${config.users.alice.description}
        email = alice@example.org
      [init]
        defaultBranch = main
      [pull]
        rebase = true
    EOT
  }

  files ".config/git/ignore" {
    source = "../dotfiles/gitignore"
  }
}
