# file() reads regular files only: /dev/zero and /dev/urandom never end.
option "motd" {
  type = str
}
option "issue" {
  type = str
}
motd  = file("/dev/zero")    # ERROR: Error in function call
issue = file("/dev/urandom") # ERROR: Error in function call
