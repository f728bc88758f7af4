option "a" {
  type = str
}
option "b" {
  type = str
}
a = "${config.b}!"
b = "${config.a}?" # ERROR: Cycle in configuration
