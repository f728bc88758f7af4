# Who uses these machines. Other modules read config.me.* instead of
# repeating the name and address.
option "me.user" {
  type        = str
  description = "Login name."
}

option "me.full_name" {
  type        = str
  description = "Full name, for the account and for git."
}

option "me.email" {
  type        = str
  description = "E-mail address for git and other tools."
}

me {
  user      = "alice"
  full_name = "Alice Liddell"
  email     = "alice@example.org"
}
