# An assert's at points its error at where each path it names is set,
# each error's message beginning with the path; without at (or with
# null, or an invalid one) the error stays at the condition.
networking {
  host_name = "atlas" # ERROR: Assertion failed
}
environment {
  etc = {
    motd = { text = "hi" } # ERROR: Assertion failed
  }
}
assert {
  condition = false
  message   = "host name and motd"
  at        = ["networking.host_name", "environment.etc.motd"]
}
assert {
  condition = false # ERROR: Assertion failed
  message   = "no place"
  at        = null
}
assert {
  condition = false # ERROR: Assertion failed
  message   = "typed"
  at        = 3 # ERROR: Invalid at
}
assert {
  condition = false # ERROR: Assertion failed
  message   = "typo"
  at        = "networking.hostname" # ERROR: Invalid at
}
assert {
  condition = false # ERROR: Assertion failed
  message   = "nothing sets it"
  at        = "networking.local_host_name"
}
assert {
  condition = true
  message   = "holds: at is not even evaluated"
  at        = 1 + "q"
}
assert {
  condition = false # ERROR: Assertion failed
  message   = "a list with a number"
  at        = ["networking.host_name", 3] # ERROR: Invalid at
}
