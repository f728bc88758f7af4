recipients = {
  alice = "age1wyzwfy4lzar5vfup4sq3tyjhef6pym5y0jw4tf7lhq9u7x2ngu7qc7gnvf"
  web1  = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHs6Z3awtzHxUuaftrcqwiOzn6UM3npetpUtKgCjIEiY root@web1"
}
secret "a.age" {
  recipients = [recipients.alice, recipients.alcie] # ERROR: Unknown recipient
}
secret "b.age" {
  recipients = [recipients.carol] # ERROR: Unknown recipient
}
secret "c.age" {
  recipients = [groups.admins] # ERROR: Unknown group
}
secret "d.age" {
  recipients = [var.x] # ERROR: Unknown reference
}
