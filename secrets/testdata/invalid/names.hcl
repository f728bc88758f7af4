recipients = {
  alice = "age1wyzwfy4lzar5vfup4sq3tyjhef6pym5y0jw4tf7lhq9u7x2ngu7qc7gnvf"
  alice = "age1wyzwfy4lzar5vfup4sq3tyjhef6pym5y0jw4tf7lhq9u7x2ngu7qc7gnvf" # ERROR: Duplicate recipient name
  "" = "age1wyzwfy4lzar5vfup4sq3tyjhef6pym5y0jw4tf7lhq9u7x2ngu7qc7gnvf" # ERROR: Invalid recipient name
}
groups = {
  admins = [recipients.alice]
  admins = [recipients.alice] # ERROR: Duplicate group name
  "" = [recipients.alice] # ERROR: Invalid group name
}
