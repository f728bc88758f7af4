# NixOS's lib.mkForce("UTC"): gocfg's functions have no lib. prefix.
# One error at the name, saying which function gocfg has instead
# (modules/loader's TestNixSyntax has the other forms: builtins., and
# calls without parentheses).
time {
  time_zone = lib.mkForce("UTC") # ERROR: Functions are called without "lib."
}
