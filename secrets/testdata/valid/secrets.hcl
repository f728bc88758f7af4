# The recipients of the secrets in this repository (gocfg secrets rekey
# re-encrypts them all after a change here).
recipients = {
  alice = "age1wyzwfy4lzar5vfup4sq3tyjhef6pym5y0jw4tf7lhq9u7x2ngu7qc7gnvf"
  bob   = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDFU3Xm+RTJX4h/3n3LQ0NLzUqt/xzh6rOa3/08J3VYxf9I1g0pMxk3uZ5vyGIDy5n07O3LS8DgWMtDK/fmDjvul4kGUSv1bcVImNRsw7+bCgb+L4JtAa+UswHzra7h/QYgFaMn7EKzQE8qSFS00U+Abtmw1g2mp34p8DtXnkkpWxmMCP5mK0jkG4yAYr7h7gscg7BFiLaBoXjbXRjMa/MlpWbMvrBbrDwpj12r005Me5Yvwfb9J6u/Tk3jfFY6u98cjTA2wZ2QLQNRPwzZ6hZii0jJFQEIqAgxE4/vyxc87c0gxt0Pv3UQTO5achiS1NTzda9rzUvYppukiH/PmRn9 bob@laptop"
  web1  = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHs6Z3awtzHxUuaftrcqwiOzn6UM3npetpUtKgCjIEiY root@web1"
  "web2" = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPTrLRYsIkirye6K1DU7xEENIPcoNgW7NBwfRn4xc5DI root@web2"
}

groups = {
  admins = [recipients.alice, recipients.bob]
  web    = [recipients.web1, recipients["web2"]]
}

secret "secrets/api-token.age" {
  recipients = [groups.admins, recipients.web1]
}

# A path written with ./ is the same file.
secret "./secrets/wifi.age" {
  recipients = [recipients.alice, groups.web, recipients.web1] # web1 twice: once
}

# A key written in place, with no name.
secret "secrets/netrc.age" {
  recipients = ["age1598a7syzfzh88uex6p2aap9kf2c9gajlkjwgjjlaajg9kekmkpqssvxeg8"]
}
