environment {
  system_packages = "git" # ERROR: Invalid value for environment.system_packages
  package_manager = "zypper" # ERROR: Invalid value for environment.package_manager
}
users "alice" {
  uid = "1000" # ERROR: Invalid value for users.alice.uid
}
