networking {
  host_name = "x"
}
assert {
  condition = strlen(config.networking.host_name) > 2 # ERROR: Assertion failed
  message   = "host names here have three letters or more"
}
