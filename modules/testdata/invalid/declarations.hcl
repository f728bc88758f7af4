option "profile.name" {
  type = str
}
option "profile.name" { # ERROR: Option declared twice
  type = str
}
option "profile.size" {
  type = string # ERROR: Unknown type
}
option "profile.mode" {
  type = enum(local.modes) # ERROR: Invalid enum
}
option "profile.kind" { # ERROR: Option without a type
  description = "no type"
}
