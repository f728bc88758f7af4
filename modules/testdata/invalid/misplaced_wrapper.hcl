environment {
  system_packages = concat(["git"], force(["vim"])) # ERROR: Invalid function argument
}
