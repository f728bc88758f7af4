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
option "tree" {
  type = submodule({
    children = list_of(type_of("tree")) # ERROR: Type refers to itself
  })
}
option "copy" {
  type = type_of("profile.nam") # ERROR: Unknown option in type_of
}
