environment {
  system_packages = before(["neovim"])
}
