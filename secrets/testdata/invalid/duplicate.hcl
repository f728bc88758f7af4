recipients = {
  alice = "age1wyzwfy4lzar5vfup4sq3tyjhef6pym5y0jw4tf7lhq9u7x2ngu7qc7gnvf"
  alice = "age1598a7syzfzh88uex6p2aap9kf2c9gajlkjwgjjlaajg9kekmkpqssvxeg8" # ERROR: Duplicate recipient name
}
secret "secrets/a.age" {
  recipients = [recipients.alice]
}
secret "./secrets//a.age" { # ERROR: Duplicate secret
  recipients = [recipients.alice]
}
