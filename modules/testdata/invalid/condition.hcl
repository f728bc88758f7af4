environment {
  system_packages = when("yes", ["git"]) # ERROR: Invalid condition
}
