recipients = {
  alice = "age1wyzwfy4lzar5vfup4sq3tyjhef6pym5y0jw4tf7lhq9u7x2ngu7qc7gnvf"
}
secret "/etc/app/token.age" { # ERROR: Invalid secret file
  recipients = [recipients.alice]
}
secret "../outside.age" { # ERROR: Invalid secret file
  recipients = [recipients.alice]
}
secret "empty.age" {
  recipients = [] # ERROR: No recipients
}
secret "nested.age" {
  recipients = [recipients.alice, { key = "x" }] # ERROR: Invalid recipient list
}
secret "missing.age" { # ERROR: Missing required argument
}
publicKeys = [] # ERROR: Unsupported argument
